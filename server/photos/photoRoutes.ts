import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { MemoryLocker, Server as TusServer, Upload } from '@tus/server';
import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  metadataProblem,
  PHOTO_UPLOADS_PATH,
  SHA256_HEX,
  STATUS_CHECKSUM_MISMATCH,
  STATUS_NOT_AN_IMAGE,
  UPLOAD_VARIANTS,
  type PhotoUploadMetadata,
  type UploadVariant,
} from '../../shared/server-api/photos';
import type { ApiErrorBody, ApiErrorCode } from '../../shared/server-api/errors';
import { ApiError, notFound } from '../http/apiError';
import { authenticate, type AuthContext, type RouteDeps } from '../http/route';
import { mayReadPhoto } from './photoAccess';
import { findPhotoFile, finishedUploadSize, recordPhotoFile, recordPhotoUploader } from './photoRepository';
import type { PhotoStorage } from './photoStorage';
import { sniffImage, SNIFF_BYTES } from './sniff';

export interface PhotoRouteOptions {
  storage: PhotoStorage;
  /** Largest file accepted (clients enforce their own, smaller, user-facing limit). */
  maxPhotoBytes: number;
}

/** Generous: core refuses photos over its own limit (50 MB by default, a setting) at attach time. */
export const DEFAULT_MAX_PHOTO_BYTES = 256 * 1024 * 1024;

/**
 * A stored photo never changes (its name is its hash): caches may keep it for good, but
 * only the user's own (`private`), since reading it needs a session.
 */
const CACHE_CONTROL = 'private, max-age=31536000, immutable';
/** No script may run in or sniff a photo, whatever bytes someone managed to store. */
const PHOTO_CSP = "default-src 'none'; sandbox";

/** A refusal in tus' own shape (status + body), raised inside @tus/server's hooks. */
interface TusRefusal {
  status_code: number;
  body: string;
}

const errorBody = (code: ApiErrorCode, message: string) => JSON.stringify({ error: { code, message } } satisfies ApiErrorBody);
const tusRefusal = (status: number, code: ApiErrorCode, message: string): TusRefusal => ({ status_code: status, body: errorBody(code, message) });

class PhotoRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Photo uploads (tus, resumable) and reads, for logged-in users (the protocol is described in
 * shared/server-api/photos.ts).
 *
 * Who may read a photo (HEAD and GET): whoever sent its original, and whoever may see a
 * story whose document references it (photoAccess.ts). Anyone else gets the answer of a
 * photo the server does not have (404), so a known or guessed sha256 reveals nothing.
 * Uploading an original needs no such right: a client told 404 sends the file, and bytes
 * the server already has still prove the sender holds the photo (their sha256 is checked),
 * so they are recorded as its uploader and the stored copy is kept. A rendition's bytes
 * prove nothing (they cannot be checked against the photo's name) and the first one stored
 * is what every reader gets: only someone who may read the photo's original sends one
 * (`renditionRefusal`), or anyone could plant the picture others see for a photo.
 */
export async function registerPhotoRoutes(app: FastifyInstance, deps: RouteDeps, options: PhotoRouteOptions): Promise<void> {
  const { storage, maxPhotoBytes } = options;
  const authByRequest = new WeakMap<IncomingMessage, AuthContext>();

  /** Upload ids start with a tag of their owner, so one user never reaches another's upload. */
  const ownerTag = (userId: string) => createHash('sha256').update(userId).digest('hex').slice(0, 16);
  const newUploadId = (auth: AuthContext) => `${ownerTag(auth.user.id)}-${randomBytes(16).toString('hex')}`;
  const authOf = (req: unknown): AuthContext => {
    const raw = (req as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
    const auth = raw ? authByRequest.get(raw) : undefined;
    if (!auth) throw new Error('photo upload without an authenticated request');
    return auth;
  };

  /**
   * Why `auth`'s user may not send `variant` of the photo `sha256` (null: they may). A rendition
   * needs the right to read the original: its uploader, or someone who may see a story naming
   * the photo (core sends the web rendition once the story's text has synced).
   */
  async function renditionRefusal(auth: AuthContext, sha256: string, variant: UploadVariant): Promise<string | null> {
    if (variant === 'original' || (await mayReadPhoto(deps.db, auth, sha256, 'original'))) return null;
    return `you may not send the ${variant} rendition of photo ${sha256}: only its uploader or someone who may see a story with this photo may (sync the story first, or send the original)`;
  }

  /**
   * A complete upload: its bytes' sha256 must be the announced one and its content an image;
   * then it is stored by hash and recorded. A refused upload is deleted (the client starts
   * that file again). A file the server already had is dropped as a duplicate.
   */
  async function accept(uploadId: string, size: number, metadata: PhotoUploadMetadata, auth: AuthContext): Promise<'stored' | 'duplicate'> {
    // Checked again here (after creation) since this is where a file is stored: the last word.
    const forbidden = await renditionRefusal(auth, metadata.sha256, metadata.variant);
    if (forbidden) {
      await storage.discard(uploadId);
      throw new PhotoRefused(403, 'forbidden', forbidden);
    }
    const actual = await storage.sha256Of(uploadId, size);
    if (actual !== metadata.fileSha256) {
      await storage.discard(uploadId);
      throw new PhotoRefused(STATUS_CHECKSUM_MISMATCH, 'photo_checksum_mismatch', `the received bytes have sha256 ${actual}, not ${metadata.fileSha256}: send the file again`);
    }
    const mime = sniffImage(await storage.headOf(uploadId, SNIFF_BYTES));
    if (!mime) {
      await storage.discard(uploadId);
      throw new PhotoRefused(STATUS_NOT_AN_IMAGE, 'photo_not_image', 'the file is not a JPEG, PNG, WebP or HEIC image');
    }
    if (await findPhotoFile(deps.db, metadata.sha256, metadata.variant)) {
      await storage.discard(uploadId);
      // The same original again (its bytes hash to its name): this user holds it too.
      if (metadata.variant === 'original') await recordPhotoUploader(deps.db, metadata.sha256, auth.user.id, deps.now());
      return 'duplicate';
    }
    const storageKey = await storage.keep(uploadId, metadata.sha256, metadata.variant);
    const recorded = await recordPhotoFile(
      deps.db,
      { sha256: metadata.sha256, variant: metadata.variant, fileSha256: actual, mime, byteSize: size, storageKey, uploadedBy: auth.user.id, uploadId },
      deps.now(),
    );
    // Another upload of the same file was recorded meanwhile: an S3 object of ours is surplus
    // (a directory store renamed identical bytes onto the same path).
    if (!recorded && storageKey.startsWith('s3:')) await storage.discard(uploadId);
    return recorded ? 'stored' : 'duplicate';
  }

  // Shared by @tus/server and the PATCH below: one writer per upload at a time.
  const locker = new MemoryLocker();
  const tus = new TusServer({
    path: PHOTO_UPLOADS_PATH,
    datastore: storage.datastore,
    locker,
    maxSize: maxPhotoBytes,
    // Works behind a reverse proxy too: the client resolves it against the address it used.
    relativeLocation: true,
    namingFunction: (req) => newUploadId(authOf(req)),
    onUploadCreate: async (req, upload) => {
      const problem = metadataProblem(upload.metadata ?? {});
      if (problem) throw tusRefusal(400, 'invalid_request', problem);
      if (upload.size === undefined) throw tusRefusal(400, 'invalid_request', 'Upload-Length is required (a photo has a known size)');
      const metadata = upload.metadata as unknown as PhotoUploadMetadata;
      const forbidden = await renditionRefusal(authOf(req), metadata.sha256, metadata.variant);
      if (forbidden) throw tusRefusal(403, 'forbidden', forbidden);
      return {};
    },
    onUploadFinish: async (req, upload) => {
      try {
        await accept(upload.id, upload.size!, upload.metadata as unknown as PhotoUploadMetadata, authOf(req));
      } catch (error) {
        if (error instanceof PhotoRefused) throw tusRefusal(error.status, error.code, error.message);
        throw error;
      }
      return {};
    },
  });

  const requireUser = async (request: FastifyRequest) => {
    authByRequest.set(request.raw, await authenticate(deps, request));
  };
  const authOfRequest = (request: FastifyRequest) => authByRequest.get(request.raw)!;

  await app.register(async (scope) => {
    // Upload bodies are streamed by @tus/server (or the PUT handler) as they arrive: Fastify
    // must not read them. Only these routes live in this scope.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));

    const handOverToTus = async (request: FastifyRequest<{ Params: { id?: string } }>, reply: FastifyReply) => {
      const id = request.params.id;
      if (id !== undefined) {
        // Someone else's upload (or none): the same answer, so ids cannot be probed.
        if (!id.startsWith(`${ownerTag(authOfRequest(request).user.id)}-`)) throw notFound('upload');
        if (request.method === 'HEAD') {
          // An upload that finished here was moved into the photo store: a client whose last
          // answer was lost learns it is complete, rather than sending the file again.
          const size = await finishedUploadSize(deps.db, id);
          if (size !== null) {
            return reply
              .code(200)
              .headers({ 'tus-resumable': '1.0.0', 'upload-offset': String(size), 'upload-length': String(size), 'cache-control': 'no-store' })
              .send();
          }
        }
      }
      if (request.method === 'PATCH' && id !== undefined) return patch(request, reply, id);
      reply.hijack();
      await tus.handle(request.raw, reply.raw);
    };

    /**
     * tus PATCH, served here rather than by @tus/server: it hands the body to the store as
     * Node's request stream itself. @tus/server turns it into a web stream and back, which on
     * Node 20 costs about a third of the throughput and buffers megabytes past the store's
     * back-pressure (bytes the server then loses when the link is cut, and the client sends
     * again). Same protocol, same store, same lock; creation, HEAD and DELETE stay with @tus/server.
     */
    async function patch(request: FastifyRequest, reply: FastifyReply, id: string): Promise<FastifyReply> {
      const tusHeaders = { 'tus-resumable': '1.0.0', 'cache-control': 'no-store' };
      const refuse = (status: number, code: ApiErrorCode, message: string) => {
        // The body is left unread: the connection goes with the answer.
        return reply.code(status).headers({ ...tusHeaders, connection: 'close', 'content-type': 'application/json' }).send(errorBody(code, message));
      };
      if (request.headers['tus-resumable'] !== '1.0.0') return refuse(412, 'invalid_request', 'Tus-Resumable: 1.0.0 is required');
      if (request.headers['content-type'] !== 'application/offset+octet-stream') return refuse(415, 'unsupported_media_type', 'a PATCH body is application/offset+octet-stream');
      const offset = Number(request.headers['upload-offset']);
      if (!Number.isSafeInteger(offset) || offset < 0) return refuse(400, 'invalid_request', 'Upload-Offset is required');

      const raw = request.raw;
      let room = 0;
      let seen = 0;
      const bounded = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          seen += chunk.length;
          if (seen > room) callback(new Error('more bytes than the upload has'));
          else callback(null, chunk);
        },
      });
      // pipe() passes on neither errors nor a close before the end (a cut link, a client that
      // gave up, this request ended for a newer PATCH): the write must end then, not wait forever.
      const endEarly = () => {
        if (!raw.readableEnded) bounded.destroy(new Error('the connection closed before the body ended'));
      };
      raw.on('error', (error) => bounded.destroy(error));
      raw.on('close', endEarly);
      const released = new AbortController();
      raw.once('close', () => released.abort());
      if (raw.destroyed) {
        endEarly();
        released.abort();
      }
      const lock = locker.newLock(id);
      // A newer PATCH of the same upload (the client resumed on a new connection while this one
      // is not yet known to be dead) asks for the lock: this one ends where it is.
      const release = () => {
        endEarly();
        raw.destroy();
      };
      await lock.lock(released.signal, release);
      // MemoryLocker also returns when this request went away while another held the lock:
      // then the lock is not ours to release.
      if ((locker as unknown as { locks: Map<string, { requestRelease?: unknown }> }).locks.get(id)?.requestRelease !== release) {
        return refuse(400, 'invalid_request', 'the connection closed before the body ended');
      }
      let upload: Upload;
      let newOffset: number;
      try {
        if (raw.destroyed && !raw.readableEnded) return refuse(400, 'invalid_request', 'the connection closed before the body ended');
        try {
          upload = await storage.datastore.getUpload(id);
        } catch {
          return refuse(404, 'not_found', 'upload not found');
        }
        if (upload.offset !== offset) return refuse(409, 'conflict', `the upload is at ${upload.offset}, not ${offset}`);
        room = (upload.size ?? 0) - offset;
        const declared = request.headers['content-length'] === undefined ? null : Number(request.headers['content-length']);
        if (declared !== null && declared > room) return refuse(413, 'body_too_large', `at most ${room} more bytes belong to this upload`);
        try {
          newOffset = await storage.datastore.write(raw.pipe(bounded), id, offset);
        } catch {
          // Whatever arrived before the link broke is on disk: the client asks (HEAD) and goes on from there.
          // (When the connection is gone, this answer goes nowhere.)
          return refuse(raw.destroyed ? 400 : 500, raw.destroyed ? 'invalid_request' : 'internal', 'the body did not arrive whole');
        }
      } finally {
        await lock.unlock();
      }
      if (newOffset === upload.size) {
        try {
          await accept(id, upload.size, upload.metadata as unknown as PhotoUploadMetadata, authOfRequest(request));
        } catch (error) {
          if (error instanceof PhotoRefused) return refuse(error.status, error.code, error.message);
          throw error;
        }
      }
      return reply.code(204).headers({ ...tusHeaders, 'upload-offset': String(newOffset) }).send();
    }
    scope.route({ method: ['POST', 'OPTIONS'], url: PHOTO_UPLOADS_PATH, onRequest: requireUser, handler: handOverToTus });
    scope.route({ method: ['HEAD', 'PATCH', 'DELETE', 'OPTIONS'], url: `${PHOTO_UPLOADS_PATH}/:id`, onRequest: requireUser, handler: handOverToTus });

    type FileParams = { Params: { sha256: string; variant: string } };
    const fileOf = (request: FastifyRequest<FileParams>): { sha256: string; variant: UploadVariant } => {
      const { sha256, variant } = request.params;
      if (!SHA256_HEX.test(sha256) || !(UPLOAD_VARIANTS as readonly string[]).includes(variant)) throw notFound('photo');
      return { sha256, variant: variant as UploadVariant };
    };

    /** The file, when the caller may read it; null for a photo the server lacks and for one they may not read alike. */
    const readableFile = async (request: FastifyRequest<FileParams>) => {
      const { sha256, variant } = fileOf(request);
      if (!(await mayReadPhoto(deps.db, authOfRequest(request), sha256, variant))) return null;
      return findPhotoFile(deps.db, sha256, variant);
    };
    const noSuchPhoto = () => new ApiError(404, 'not_found', 'photo not found: the server does not have it, or it is in no story you may see and you did not upload it');

    /**
     * Whether the server has the file for this caller (a client then does not send it): 200
     * or 404, no body. A photo the caller may not read answers 404 like a missing one: the
     * client then sends it, which records them as an uploader (see accept).
     */
    scope.route<FileParams>({
      method: 'HEAD',
      url: '/photos/:sha256/:variant',
      onRequest: requireUser,
      handler: async (request, reply) => {
        const file = await readableFile(request);
        if (!file) return reply.code(404).header('cache-control', 'no-store').send();
        return reply.code(200).headers(photoHeaders(file.mime, file.byteSize, file.fileSha256)).send();
      },
    });

    scope.route<FileParams>({
      method: 'GET',
      url: '/photos/:sha256/:variant',
      exposeHeadRoute: false,
      onRequest: requireUser,
      handler: async (request, reply) => {
        const file = await readableFile(request);
        if (!file) throw noSuchPhoto();
        const etag = `"${file.fileSha256}"`;
        if (request.headers['if-none-match'] === etag) return reply.code(304).headers(photoHeaders(file.mime, null, file.fileSha256)).send();
        return reply.code(200).headers(photoHeaders(file.mime, file.byteSize, file.fileSha256)).send(await storage.open(file.storageKey));
      },
    });

    /** One plain request with the whole file (not resumable): the same checks as a tus upload. */
    scope.route<FileParams>({
      method: 'PUT',
      url: '/photos/:sha256/:variant',
      onRequest: requireUser,
      handler: async (request, reply) => {
        const { sha256, variant } = fileOf(request);
        const fileSha256 = String(request.headers['x-file-sha256'] ?? sha256);
        const metadata: PhotoUploadMetadata = { sha256, variant, fileSha256 };
        const problem = metadataProblem({ ...metadata });
        if (problem) throw new ApiError(400, 'invalid_request', problem.replace('Upload-Metadata', 'X-File-Sha256'));
        const size = Number(request.headers['content-length']);
        if (!Number.isSafeInteger(size) || size <= 0) throw new ApiError(400, 'invalid_request', 'Content-Length is required and must be positive');
        if (size > maxPhotoBytes) throw new ApiError(413, 'body_too_large', `a photo may have at most ${maxPhotoBytes} bytes`);
        const auth = authOfRequest(request);
        const forbidden = await renditionRefusal(auth, sha256, variant);
        if (forbidden) {
          // The unread body ends with the connection.
          reply.header('connection', 'close');
          throw new ApiError(403, 'forbidden', forbidden);
        }
        // Already here and readable by the caller: nothing to store; the unread body ends with
        // the connection. For anyone else the body is read and checked like a new file: only
        // bytes that hash to the photo's name make them one of its uploaders.
        if ((await findPhotoFile(deps.db, sha256, variant)) && (await mayReadPhoto(deps.db, auth, sha256, variant))) {
          return reply.code(200).header('connection', 'close').send({ sha256, variant, stored: false });
        }
        const id = newUploadId(auth);
        await storage.datastore.create(new Upload({ id, size, offset: 0, metadata: { ...metadata } }));
        let written: number;
        try {
          written = await storage.datastore.write(request.raw, id, 0);
        } catch (error) {
          await storage.discard(id);
          throw error;
        }
        if (written !== size) {
          await storage.discard(id);
          throw new ApiError(400, 'invalid_request', `the body ended after ${written} of ${size} bytes`);
        }
        let outcome: 'stored' | 'duplicate';
        try {
          outcome = await accept(id, size, metadata, auth);
        } catch (error) {
          if (error instanceof PhotoRefused) throw new ApiError(error.status, error.code, error.message);
          throw error;
        }
        return reply.code(outcome === 'stored' ? 201 : 200).send({ sha256, variant, stored: outcome === 'stored' });
      },
    });
  });
}

function photoHeaders(mime: string, byteSize: number | null, fileSha256: string): Record<string, string> {
  return {
    'content-type': mime,
    ...(byteSize !== null ? { 'content-length': String(byteSize) } : {}),
    'x-content-type-options': 'nosniff',
    'content-security-policy': PHOTO_CSP,
    'cache-control': CACHE_CONTROL,
    etag: `"${fileSha256}"`,
  };
}
