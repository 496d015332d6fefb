/** Files: folders, uploads, versions and downloads inside each entity, kept in the blob store. */
import { defineFeature } from '../host/index.js';
import { type Config, DEFAULT_FILE_LIMITS } from '../kernel/config.js';
import { can, entityChain } from '../permissions/index.js';
import { type BlobStore, createBlobStore } from '../storage/index.js';
import { fileRoutes } from './routes.js';

/**
 * The request size the upload path accepts (src/app.ts gives it to the form size limit): several
 * files of the largest size in one form. Each file is held to its own limit as it arrives.
 */
export const UPLOAD_PATH = '/entities/:id/files';
export function uploadBodyLimits(config: Pick<Config, 'files'>): Record<string, number> {
  return { [UPLOAD_PATH]: 4 * (config.files ?? DEFAULT_FILE_LIMITS).maxBytes + 1024 * 1024 };
}

export const filesFeature = defineFeature({
  id: 'files',
  register(r, deps) {
    // Made on first use: a process that never touches a file opens no bucket client.
    let store: BlobStore | undefined;
    const blobs = () => (store ??= createBlobStore(deps.config));
    r.routes(fileRoutes(deps, blobs));
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
