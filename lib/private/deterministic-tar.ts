import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

/**
 * Packs a directory into gzip-compressed ustar bytes that depend only on the files' relative
 * paths, contents and executable bits: entries sorted, times, owners and the gzip header fixed.
 * The same directory gives the same bytes on every machine and every synth, so the file asset
 * built from it keeps its hash.
 */
export function deterministicTarGz(directory: string): Buffer {
  const blocks: Buffer[] = [];
  for (const file of listFiles(directory)) {
    const absolute = path.join(directory, file);
    const content = fs.readFileSync(absolute);
    const executable = (fs.statSync(absolute).mode & 0o111) !== 0;
    blocks.push(header(file, content.length, executable ? 0o755 : 0o644));
    blocks.push(content);
    const padding = (512 - (content.length % 512)) % 512;
    if (padding) blocks.push(Buffer.alloc(padding));
  }
  blocks.push(Buffer.alloc(1024));
  const gz = zlib.gzipSync(Buffer.concat(blocks), { level: 9 });
  gz[9] = 255; // gzip header OS byte: "unknown", so the platform does not change the bytes
  return gz;
}

/** Files below `directory`, as sorted POSIX relative paths; caches and VCS folders are skipped. */
export function listFiles(directory: string, prefix = ''): string[] {
  const skip = new Set(['__pycache__', '.git', 'node_modules', '.DS_Store', '.ipynb_checkpoints']);
  const result: string[] = [];
  for (const entry of fs.readdirSync(path.join(directory, prefix), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (skip.has(entry.name) || entry.name.endsWith('.pyc')) continue;
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      result.push(...listFiles(directory, relative));
    } else if (entry.isFile()) {
      result.push(relative);
    }
  }
  return result;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mode: number): Buffer {
  const block = Buffer.alloc(512);
  let fileName = name;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) {
      throw new Error(`Path too long for a tar archive: ${name}`);
    }
    prefix = name.slice(0, cut);
    fileName = name.slice(cut + 1);
  }
  block.write(fileName, 0, 100, 'utf-8');
  block.write(octal(mode, 8), 100, 8, 'ascii');
  block.write(octal(0, 8), 108, 8, 'ascii'); // uid
  block.write(octal(0, 8), 116, 8, 'ascii'); // gid
  block.write(octal(size, 12), 124, 12, 'ascii');
  block.write(octal(0, 12), 136, 12, 'ascii'); // mtime
  block.write('        ', 148, 8, 'ascii'); // checksum placeholder
  block.write('0', 156, 1, 'ascii'); // regular file
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write(prefix, 345, 155, 'utf-8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + ' ', 148, 8, 'ascii');
  return block;
}
