/** Files: folders, uploads, versions, downloads and image previews inside each entity, kept in the blob store. */
import { defineFeature } from '../host/index.js';
import { type Config, DEFAULT_FILE_LIMITS } from '../kernel/config.js';
import { can, entityChain } from '../permissions/index.js';
import { type BlobStore, createBlobStore } from '../storage/index.js';
import { portalFileRoutes } from './portal-routes.js';
import { PortalFiles, portalFiles, withThumbnails } from './portal-section.js';
import { rescanPending } from './rescan.js';
import { expireUploads } from './resumable/expire.js';
import { CHUNK_PATHS, resumableRoutes } from './resumable/routes.js';
import { fileRoutes } from './routes.js';
import { sweepBlobs } from './sweep.js';
import { uploadTotalLimit } from './upload.js';

/**
 * The request size the upload path accepts (src/app.ts gives it to the form size limit): several
 * files of the largest size in one form. Each file is held to its own limit as it arrives.
 */
export const UPLOAD_PATHS = ['/entities/:id/files', '/portal/entities/:id/files'];
export function uploadBodyLimits(config: Pick<Config, 'files'>): Record<string, number> {
  const limits = config.files ?? DEFAULT_FILE_LIMITS;
  const limit = uploadTotalLimit(limits);
  return Object.fromEntries([
    ...UPLOAD_PATHS.map((path) => [path, limit]),
    // A resumable upload's chunk: tus itself refuses bytes past the upload's declared length.
    ...CHUNK_PATHS.map((path) => [path, limits.maxBytes]),
  ]);
}

export const filesFeature = defineFeature({
  id: 'files',
  register(r, deps) {
    // Made on first use: a process that never touches a file opens no bucket client.
    let store: BlobStore | undefined;
    const blobs = () => (store ??= createBlobStore(deps.config));
    r.routes(fileRoutes(deps, blobs));
    r.routes(portalFileRoutes(deps, blobs));
    const resumable = resumableRoutes(deps, blobs);
    r.routes(resumable.routes);
    r.slot('portal.sections', async ({ actor, entity }) => {
      const organization = await deps.organization.get();
      const files = await portalFiles(deps.db, actor, entity.id);
      const upload = can(actor, 'file:C', entityChain(entity.id))
        ? {
            action: `/portal/entities/${entity.id}/files`,
            resumable: `/portal/entities/${entity.id}/uploads`,
            limits: deps.config.files ?? DEFAULT_FILE_LIMITS,
          }
        : null;
      const body = (
        <PortalFiles
          files={files}
          thumbnails={await withThumbnails(deps.db, files)}
          timeZone={organization?.time_zone ?? 'UTC'}
          upload={upload}
          browse={`/portal/entities/${entity.id}/files`}
        />
      );
      return { title: 'Files', body };
    });
    r.schedule({
      name: 'files.sweep-blobs',
      everyMs: 60 * 60 * 1000,
      run: async (db) => {
        const swept = await sweepBlobs(db, blobs());
        if (swept.removed || swept.abandoned) deps.log.info('swept unused file contents', swept);
      },
    });
    r.schedule({
      name: 'files.expire-uploads',
      everyMs: 60 * 60 * 1000,
      run: async (db) => {
        const expired = await expireUploads(db, resumable.tus);
        if (expired) deps.log.info('dropped unfinished uploads past their day', { expired });
      },
    });
    // What arrived while clamd was unreachable waits as pending; each minute it is tried again.
    r.schedule({
      name: 'files.rescan-pending',
      everyMs: 60 * 1000,
      run: async (db) => {
        const done = await rescanPending(db, blobs(), deps.config.clamd, deps.log);
        if (done.cleared || done.removed)
          deps.log.info('rescanned files waiting for their virus check', { ...done });
      },
    });
    r.slot(
      'entity.tabs',
      ({ actor, entity }) => {
        const chain = entityChain(entity.id);
        return can(actor, 'file:R', chain) || can(actor, 'file:C', chain)
          ? { id: 'files', label: 'Files', href: `/entities/${entity.id}/files`, order: 20 }
          : null;
      },
      20,
    );
  },
});
