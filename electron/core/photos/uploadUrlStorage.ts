import type Database from 'better-sqlite3';
import type { PreviousUpload, UrlStorage } from 'tus-js-client';
import type { UploadVariant } from '../../../shared/server-api/photos';

/**
 * tus-js-client's URL storage kept in the `photo_uploads` table: the upload URL of each
 * (photo, variant) survives a restart of the app, so a new core asks the server for its
 * offset and sends only the rest. The fingerprint is `<sha256>:<variant>`; a URL of another
 * server than the one uploaded to now is not offered (that server never saw it).
 */
export class PhotoUploadUrlStorage implements UrlStorage {
  private readonly stmts;

  constructor(
    db: Database.Database,
    private readonly currentServerUrl: () => string | null,
    private readonly now: () => number = Date.now,
  ) {
    this.stmts = {
      find: db.prepare('SELECT upload_url, bytes_total, updated_at FROM photo_uploads WHERE sha256 = ? AND variant = ? AND upload_url IS NOT NULL'),
      all: db.prepare('SELECT sha256, variant, upload_url, bytes_total, updated_at FROM photo_uploads WHERE upload_url IS NOT NULL'),
      set: db.prepare('UPDATE photo_uploads SET upload_url = ?, updated_at = ? WHERE sha256 = ? AND variant = ?'),
    };
  }

  static fingerprint(sha256: string, variant: UploadVariant): string {
    return `${sha256}:${variant}`;
  }

  private static parse(fingerprint: string): [string, UploadVariant] {
    const [sha256, variant] = fingerprint.split(':') as [string, UploadVariant];
    return [sha256, variant];
  }

  private sameServer(url: string): boolean {
    const server = this.currentServerUrl();
    if (!server) return false;
    try {
      return new URL(url).origin === new URL(server).origin;
    } catch {
      return false;
    }
  }

  private toPrevious(fingerprint: string, row: { upload_url: string; bytes_total: number; updated_at: number }): PreviousUpload {
    return {
      size: row.bytes_total,
      metadata: {},
      creationTime: new Date(row.updated_at).toString(),
      urlStorageKey: fingerprint,
      uploadUrl: row.upload_url,
      parallelUploadUrls: null,
    };
  }

  async findAllUploads(): Promise<PreviousUpload[]> {
    const rows = this.stmts.all.all() as Array<{ sha256: string; variant: UploadVariant; upload_url: string; bytes_total: number; updated_at: number }>;
    return rows.filter((r) => this.sameServer(r.upload_url)).map((r) => this.toPrevious(PhotoUploadUrlStorage.fingerprint(r.sha256, r.variant), r));
  }

  async findUploadsByFingerprint(fingerprint: string): Promise<PreviousUpload[]> {
    const row = this.stmts.find.get(...PhotoUploadUrlStorage.parse(fingerprint)) as { upload_url: string; bytes_total: number; updated_at: number } | undefined;
    return row && this.sameServer(row.upload_url) ? [this.toPrevious(fingerprint, row)] : [];
  }

  async removeUpload(urlStorageKey: string): Promise<void> {
    this.stmts.set.run(null, this.now(), ...PhotoUploadUrlStorage.parse(urlStorageKey));
  }

  async addUpload(fingerprint: string, upload: PreviousUpload): Promise<string> {
    this.stmts.set.run(upload.uploadUrl, this.now(), ...PhotoUploadUrlStorage.parse(fingerprint));
    return fingerprint;
  }
}
