import { constants as fsc, closeSync, existsSync, fstatSync, lstatSync, openSync, promises as fsp, readlinkSync, readSync, realpathSync, Stats } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as path from 'node:path';

// Every read of a workspace file goes through here. A pull request is untrusted input: a file
// may be a symlink to /etc/passwd, a named pipe that blocks a read forever, a device, a binary
// or a file that changes between the check and the read. So: resolve the real path and keep it
// inside the checked folder, open without following a final symlink and without blocking, check
// the open descriptor (not the path) is a regular file within the size limit, read only that
// many bytes, and refuse binary content. Nothing here throws: the answer is text or a skip note.

/** Why a read was refused; the index lists it under this code (see SkipCode in discovery). */
export type ReadSkipCode = 'outside-root' | 'symlink-broken' | 'not-regular' | 'too-large' | 'binary' | 'unreadable';

export interface DecodeNote {
  /** Offset in the decoded text of the first character that could not be decoded. */
  offset: number;
  message: string;
}

export type SafeRead = { ok: true; text: string; size: number; note?: DecodeNote } | { ok: false; code: ReadSkipCode; reason: string };

const O_NOFOLLOW = fsc.O_NOFOLLOW ?? 0;
const O_NONBLOCK = fsc.O_NONBLOCK ?? 0;
const OPEN_FLAGS = fsc.O_RDONLY | O_NOFOLLOW | O_NONBLOCK;

/** True when `p` is `root` or below it (both absolute and real). */
export function isInside(p: string, root: string): boolean {
  // Both are absolute and normalised (real paths): a prefix test is exact, and much cheaper
  // than path.relative on every file.
  if (p === root) return true;
  const withSep = root.endsWith(path.sep) ? root : root + path.sep;
  return p.startsWith(withSep);
}

/** The real path of the checked folder, which may itself sit below a symlink (macOS /tmp). */
export function realRootSync(root: string): string {
  try {
    return realpathSync.native(root);
  } catch {
    return path.resolve(root);
  }
}

function linkError(e: unknown): SafeRead {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return { ok: false, code: 'symlink-broken', reason: 'symlink loop; not read' };
  if (code === 'ENOENT') return { ok: false, code: 'symlink-broken', reason: 'symlink to a missing file; not read' };
  return { ok: false, code: 'unreadable', reason: `cannot read: ${(e as Error).message}` };
}

const OUTSIDE_REASON = 'symlink that leads outside the checked folder; not followed, not read';

function outside(): SafeRead {
  return { ok: false, code: 'outside-root', reason: OUTSIDE_REASON };
}

function kindOf(st: Pick<Stats, 'isDirectory' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function notRegular(st: Stats): SafeRead {
  return { ok: false, code: 'not-regular', reason: specialFileNote(st) };
}

function tooLarge(size: number, maxBytes: number): SafeRead {
  return { ok: false, code: 'too-large', reason: `larger than maxFileSizeKb (${Math.round(size / 1024)} KB > ${Math.round(maxBytes / 1024)} KB); not read` };
}

/** Linux names every open descriptor's real path under /proc/self/fd. */
const PROC_FD = process.platform === 'linux' && O_NOFOLLOW !== 0 && existsSync('/proc/self/fd');

/** Where an open descriptor really points (Linux); undefined where the platform cannot say. */
function fdPath(fd: number): string | undefined {
  if (!PROC_FD) return undefined;
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/**
 * A note for a symlink found while walking the folder, or undefined when it stays inside the
 * root (and may be read). Links leaving the root, broken links and loops get a note; `folder`
 * says the link leads to a folder (noted whatever its name, since it is not walked).
 */
export async function symlinkNote(abs: string, rootReal: string): Promise<{ reason: string; folder: boolean } | undefined> {
  let real: string;
  try {
    real = await fsp.realpath(abs);
  } catch (e) {
    const r = linkError(e);
    return r.ok ? undefined : { reason: r.reason, folder: false };
  }
  if (isInside(real, rootReal)) return undefined;
  let isDir = false;
  try {
    isDir = (await fsp.stat(real)).isDirectory();
  } catch {
    /* the note below is enough */
  }
  return isDir ? { reason: 'symlinked folder that leads outside the checked folder; not followed', folder: true } : { reason: OUTSIDE_REASON, folder: false };
}

/** A note for a directory entry that is neither file, folder nor symlink (pipe, socket, device). */
export function specialFileNote(entry: Pick<Stats, 'isDirectory' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string {
  return `not a regular file (${kindOf(entry)}); not read`;
}

/**
 * Reads a workspace file as text, safely (see the top of this file). `rootReal` is the real path
 * of the checked folder; undefined when the file may live anywhere (a config file found above
 * the folder), in which case only the file-type, size and content checks apply. The reads are
 * synchronous on purpose: for thousands of small files, a few direct system calls each beat
 * a round trip through the thread pool per call (callers yield between files).
 */
export async function readTextSafe(abs: string, rootReal: string | undefined, maxBytes: number): Promise<SafeRead> {
  return readTextSafeSync(abs, rootReal, maxBytes);
}

export function readTextSafeSync(abs: string, rootReal: string | undefined, maxBytes: number): SafeRead {
  let fd: number | undefined;
  let openedDirectly = false;
  // Linux: open without following a final symlink, then ask the kernel where the descriptor
  // really points (no separate realpath, no window between check and read).
  if (PROC_FD) {
    // Look before opening: a pipe, socket or device is never opened at all (opening some devices
    // has effects). What changes between this look and the open is caught by fstat below.
    let pre: Stats;
    try {
      pre = lstatSync(abs);
    } catch (e) {
      return linkError(e);
    }
    if (!pre.isFile() && !pre.isSymbolicLink()) return notRegular(pre);
    if (pre.isFile()) {
      try {
        fd = openSync(abs, OPEN_FLAGS);
        openedDirectly = true;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ELOOP' && code !== 'EMLINK') return linkError(e);
        fd = undefined; // became a symlink meanwhile: resolved below
      }
    }
  }
  if (fd === undefined) {
    let real: string;
    try {
      real = realpathSync.native(abs);
    } catch (e) {
      return linkError(e);
    }
    if (rootReal && !isInside(real, rootReal)) return outside();
    try {
      // Look before opening (see above); a folder cannot be opened for reading everywhere.
      const pre = lstatSync(real);
      if (!pre.isFile()) return notRegular(pre);
      fd = openSync(real, OPEN_FLAGS);
    } catch (e) {
      return linkError(e);
    }
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return notRegular(st);
    if (rootReal) {
      let where = fdPath(fd);
      if (where === undefined && openedDirectly) where = realpathSync.native(abs);
      if (where !== undefined && !isInside(where, rootReal)) return outside();
    }
    if (st.size > maxBytes) return tooLarge(st.size, maxBytes);
    const buf = Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, buf, got, st.size - got, got);
      if (n === 0) break; // truncated meanwhile: take what is there
      got += n;
    }
    return decode(buf.subarray(0, got));
  } catch (e) {
    return { ok: false, code: 'unreadable', reason: `cannot read: ${(e as Error).message}` };
  } finally {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
  }
}

/**
 * Bytes to text: UTF-16 with a byte-order mark is decoded as such; other NUL bytes mean a binary
 * file (git's test); invalid UTF-8 is decoded with U+FFFD and a note pointing at the first one.
 */
export function decode(buf: Buffer): SafeRead {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { ok: true, text: utf16(buf.subarray(2), false), size: buf.length };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { ok: true, text: utf16(buf.subarray(2), true), size: buf.length };
  if (buf.indexOf(0) !== -1) return { ok: false, code: 'binary', reason: 'binary content (NUL bytes); not read' };
  const text = buf.toString('utf8');
  if (isUtf8(buf)) return { ok: true, text, size: buf.length };
  // The first replacement character is where decoding failed (unless the file also holds a real
  // U+FFFD before it, which only moves the note earlier).
  const offset = Math.max(0, text.indexOf('\uFFFD'));
  return { ok: true, text, size: buf.length, note: { offset, message: 'This file is not valid UTF-8: the bytes that are not were read as U+FFFD. Save it as UTF-8.' } };
}

function utf16(body: Buffer, bigEndian: boolean): string {
  const even = body.subarray(0, body.length - (body.length % 2));
  if (!bigEndian) return even.toString('utf16le');
  const copy = Buffer.from(even);
  copy.swap16();
  return copy.toString('utf16le');
}
