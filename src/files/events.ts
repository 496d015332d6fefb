/** What the files feature announces, for others to act on (the notifications feature emails staff). */
declare module '../host/events.js' {
  interface Events {
    /**
     * A contact uploaded files into an entity from the portal: announced from the upload's own
     * transaction, so it is never lost with a committed upload nor sent for a rolled-back one.
     */
    'files.client_uploaded': {
      entityId: string;
      entityName: string;
      folderId: string;
      uploader: { id: string; name: string };
      /**
       * `name` as its sender is told it: "Return.pdf", or "Return.pdf (version 2)" for a new version.
       * `checking`: still waiting for its virus check (src/files/scan.ts), not yet downloadable.
       */
      files: { id: string; name: string; checking?: boolean }[];
    };
  }
}

export {};
