import type { PhotosService } from '../../../shared/rpc/contract';
import { RpcError } from '../../../shared/rpc/protocol';

/** Placeholder until the photo store lands (issue 8): every call says so clearly. */
export function createUnavailablePhotosService(): PhotosService {
  const refuse = (): Promise<never> => Promise.reject(new RpcError('unknown_method', 'photos are not available in this build yet'));
  return { attach: refuse, rendition: refuse, uploads: refuse };
}
