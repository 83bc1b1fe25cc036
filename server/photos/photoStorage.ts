import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import { S3Store } from '@tus/s3-store';
import type { DataStore } from '@tus/server';
import type { UploadVariant } from '../../shared/server-api/photos';

/**
 * Where the server keeps photo bytes (DESIGN §7): a directory by default, any S3-compatible
 * store by configuration. Uploads arrive through tus into `datastore`; a finished, verified
 * upload becomes the stored file of its (sha256, variant) with keep().
 */
export type PhotoStorageConfig =
  | { kind: 'file'; directory: string }
  | {
      kind: 's3';
      bucket: string;
      region?: string;
      /** An S3-compatible service's address (MinIO, Ceph, R2, …); AWS when absent. */
      endpoint?: string;
      /** Path-style addressing (`endpoint/bucket/key`), which most self-hosted services need. */
      forcePathStyle?: boolean;
      /** Credentials; when absent, the AWS SDK's usual chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, roles). */
      accessKeyId?: string;
      secretAccessKey?: string;
    };

export interface PhotoStorage {
  /** The tus data store (its write() also hashes what passes through, see sha256Of). */
  readonly datastore: DataStore;
  /**
   * sha256 of a complete upload's bytes: computed while they arrived when every PATCH
   * continued where the previous one ended in this process, else by reading the upload again.
   */
  sha256Of(uploadId: string, size: number): Promise<string>;
  /** The first `count` bytes of an upload (or fewer when it is shorter). */
  headOf(uploadId: string, count: number): Promise<Buffer>;
  /** Makes a finished upload the stored file of (sha256, variant); answers its storage key. */
  keep(uploadId: string, sha256: string, variant: UploadVariant): Promise<string>;
  /** Deletes an upload (refused, or a duplicate of a file already stored). */
  discard(uploadId: string): Promise<void>;
  /** Reads a stored file. */
  open(storageKey: string): Promise<Readable>;
  /** Human-readable, for the startup log. */
  describe(): string;
}

interface RunningHash {
  offset: number;
  hash: Hash;
}

/** Uploads in progress whose hash state is kept (more are hashed by reading them again at the end). */
const MAX_RUNNING_HASHES = 1000;

/**
 * Wraps the data store's write() so the bytes are hashed as they are written. A PATCH that
 * does not continue exactly where the running hash ends (another process took a PATCH, the
 * server restarted, a write failed) drops the running hash; sha256Of then reads the upload.
 */
function hashWhileWriting(datastore: DataStore): Map<string, RunningHash> {
  const running = new Map<string, RunningHash>();
  const write = datastore.write.bind(datastore);
  datastore.write = async (readable: Readable, id: string, offset: number): Promise<number> => {
    let state = running.get(id);
    if (offset === 0) state = { offset: 0, hash: createHash('sha256') };
    else if (state && state.offset !== offset) state = undefined;
    running.delete(id);
    if (!state) return write(readable, id, offset);
    let counted = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        state.hash.update(chunk);
        counted += chunk.length;
        callback(null, chunk);
      },
    });
    readable.on('error', (error) => hashing.destroy(error));
    const newOffset = await write(readable.pipe(hashing), id, offset);
    if (newOffset === offset + counted) {
      state.offset = newOffset;
      if (running.size >= MAX_RUNNING_HASHES) running.delete(running.keys().next().value!);
      running.set(id, state);
    }
    return newOffset;
  };
  return running;
}

async function hashStream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function firstBytes(stream: Readable, count: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  try {
    for await (const chunk of stream) {
      parts.push(chunk as Buffer);
      have += (chunk as Buffer).length;
      if (have >= count) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, count);
}

export function openPhotoStorage(config: PhotoStorageConfig): PhotoStorage {
  return config.kind === 'file' ? fileStorage(config.directory) : s3Storage(config);
}

/**
 * `DIR/uploads/<id>` (+ `<id>.json`): uploads in progress; `DIR/files/ab/<sha256>.<variant>`:
 * stored files. A finished upload is renamed into place (same file system, no copy).
 */
function fileStorage(directory: string): PhotoStorage {
  const uploadsDir = join(directory, 'uploads');
  const datastore = new FileStore({ directory: uploadsDir });
  const running = hashWhileWriting(datastore);
  const storedPath = (key: string) => join(directory, key);
  return {
    datastore,
    async sha256Of(uploadId, size) {
      const state = running.get(uploadId);
      running.delete(uploadId);
      if (state && state.offset === size) return state.hash.digest('hex');
      return hashStream(createReadStream(join(uploadsDir, uploadId)));
    },
    async headOf(uploadId, count) {
      const handle = await open(join(uploadsDir, uploadId), 'r');
      try {
        const buffer = Buffer.alloc(count);
        const { bytesRead } = await handle.read(buffer, 0, count, 0);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    async keep(uploadId, sha256, variant) {
      const key = join('files', sha256.slice(0, 2), `${sha256}.${variant}`);
      await mkdir(dirname(storedPath(key)), { recursive: true });
      await rename(join(uploadsDir, uploadId), storedPath(key));
      await unlink(join(uploadsDir, `${uploadId}.json`)).catch(() => undefined);
      return key;
    },
    async discard(uploadId) {
      running.delete(uploadId);
      await datastore.remove(uploadId).catch(() => undefined);
    },
    async open(key) {
      return createReadStream(storedPath(key));
    },
    describe: () => `photos in ${directory}`,
  };
}

/**
 * An S3 bucket: tus writes multipart uploads under the upload's id; a finished one stays
 * where it is and the database maps (sha256, variant) to that key. Not exercised against a
 * live S3 by the tests (none here); the same tus hooks and checks run as with the directory.
 */
function s3Storage(config: Extract<PhotoStorageConfig, { kind: 's3' }>): PhotoStorage {
  const datastore = new S3Store({
    partSize: 8 * 1024 * 1024,
    s3ClientConfig: {
      bucket: config.bucket,
      region: config.region ?? 'us-east-1',
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.forcePathStyle ? { forcePathStyle: true } : {}),
      ...(config.accessKeyId && config.secretAccessKey
        ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
        : {}),
    },
  });
  const running = hashWhileWriting(datastore);
  const read = async (key: string) => (await datastore.read(key)) as Readable;
  return {
    datastore,
    async sha256Of(uploadId, size) {
      const state = running.get(uploadId);
      running.delete(uploadId);
      if (state && state.offset === size) return state.hash.digest('hex');
      return hashStream(await read(uploadId));
    },
    async headOf(uploadId, count) {
      return firstBytes(await read(uploadId), count);
    },
    async keep(uploadId) {
      return `s3:${uploadId}`;
    },
    async discard(uploadId) {
      running.delete(uploadId);
      await datastore.remove(uploadId).catch(() => undefined);
    },
    async open(key) {
      return read(key.replace(/^s3:/, ''));
    },
    describe: () => `photos in S3 bucket ${config.bucket}${config.endpoint ? ` at ${config.endpoint}` : ''}`,
  };
}

