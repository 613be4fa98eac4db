import * as fs from 'fs';
import * as path from 'path';

/** A parsed `s3://bucket/key` URI. */
export interface S3UriParts {
  /** The bucket name. */
  readonly bucket: string;
  /** The key (may be empty or end with `/` for a prefix). */
  readonly key: string;
}

/**
 * The local stand-in for Amazon S3 that the local runner reads and writes: object
 * `s3://bucket/some/key` is the file `<root>/bucket/some/key`. Keys that end in `/` are prefixes
 * (folders). Listing is by key prefix, as S3's ListObjectsV2 with a `Prefix` does, so
 * `s3://b/data/t` lists `data/train.csv` and `data/test/x.csv`.
 */
export class LocalObjectStore {
  /** Parses an `s3://` URI; throws a clear error on anything else. */
  public static parseUri(uri: string): S3UriParts {
    const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
    if (!match) throw new Error(`"${uri}" is not an s3:// URI (expected s3://bucket/key).`);
    return { bucket: match[1], key: match[2] };
  }

  /** The store's root directory (created when missing). */
  public readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    fs.mkdirSync(this.root, { recursive: true });
  }

  /** The local file (or folder, for a prefix) an `s3://` URI stands for. */
  public pathOf(uri: string): string {
    const { bucket, key } = LocalObjectStore.parseUri(uri);
    // S3 keys are plain strings: `a//b` and `a/./b` are other keys than `a/b`, which a file
    // system path would silently merge. Refuse them rather than hide a malformed URI.
    const segments = key.split('/');
    if (segments.slice(0, -1).some((segment) => segment === '' || segment === '.' || segment === '..')) {
      throw new Error(`"${uri}" has an empty, "." or ".." segment in its key: S3 keeps such keys apart from the normalized one, so it is almost certainly a malformed URI (e.g. a join of a prefix ending in "/" with "/").`);
    }
    const resolved = path.resolve(this.root, bucket, key);
    if (!resolved.startsWith(path.join(this.root, bucket))) throw new Error(`"${uri}" leaves its bucket.`);
    return resolved;
  }

  /** Whether an object exists at exactly this URI. */
  public exists(uri: string): boolean {
    let file: string;
    try {
      file = this.pathOf(uri);
    } catch {
      return false;
    }
    return fs.existsSync(file) && fs.statSync(file).isFile();
  }

  /** Every object whose key starts with the URI's key, as sorted `s3://` URIs (S3 ListObjectsV2 semantics). */
  public list(prefixUri: string): string[] {
    const { bucket, key } = LocalObjectStore.parseUri(prefixUri);
    const bucketDir = path.join(this.root, bucket);
    if (!fs.existsSync(bucketDir)) return [];
    // Walk only the deepest folder the prefix names, then filter by the full key prefix.
    const slash = key.lastIndexOf('/');
    const start = path.join(bucketDir, slash >= 0 ? key.slice(0, slash) : '');
    const found: string[] = [];
    const walk = (dir: string): void => {
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile()) {
          const objectKey = path.relative(bucketDir, full).split(path.sep).join('/');
          if (objectKey.startsWith(key)) found.push(`s3://${bucket}/${objectKey}`);
        }
      }
    };
    walk(start);
    return found.sort();
  }

  /** Reads an object. */
  public read(uri: string): Buffer {
    if (!this.exists(uri)) throw new Error(`no object at ${uri} in the local store ${this.root}.`);
    return fs.readFileSync(this.pathOf(uri));
  }

  /** Writes an object (creating its "folders"). */
  public write(uri: string, body: Buffer | string): void {
    const file = this.pathOf(uri);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
  }

  /** Copies a local file to an object. */
  public putFile(uri: string, file: string): void {
    const target = this.pathOf(uri);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }

  /** Copies an object to a local file. */
  public getFile(uri: string, file: string): void {
    if (!this.exists(uri)) throw new Error(`no object at ${uri} in the local store ${this.root}.`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(this.pathOf(uri), file);
  }

  /** Deletes every object under a prefix. */
  public deletePrefix(prefixUri: string): void {
    for (const uri of this.list(prefixUri)) fs.rmSync(this.pathOf(uri));
  }
}
