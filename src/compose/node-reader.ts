/**
 * The file reader the commands layer hands to `load()`: the only place in `compose/` that
 * touches the file system.
 *
 * Every file the loader reads (compose files, env files, label files) is checked before it is
 * parsed, so bad input fails fast with one sentence instead of hanging or being misread:
 * - it must be a regular file: a named pipe would block forever (even for root), a directory or
 *   a symbolic link loop is named as such rather than as "not found";
 * - at most MAX_INPUT_FILE_BYTES: real compose files are kilobytes, and a huge file would take
 *   seconds and hundreds of megabytes to parse;
 * - text: no NUL byte (a binary file), valid UTF-8 (the line of the first bad byte is given),
 *   never silently turned into U+FFFD characters that would then be deployed.
 */
import { readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { UserError } from '../errors.js';
import { displayName } from './display-name.js';
import type { FileReader } from './model.js';

/** 10 MiB: the largest compose, env or label file the loader reads. */
export const MAX_INPUT_FILE_BYTES = 10 * 1024 * 1024;

function shown(path: string): string {
  return displayName(path, process.cwd());
}

function unreadable(path: string, e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException).code ?? 'unknown';
  const why: Record<string, string> = {
    ELOOP: 'it is a symbolic link loop',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOENT: 'it does not exist (a dangling symbolic link?)',
    EISDIR: 'it is a directory',
    EIO: 'an input/output error (a special file such as /proc/self/mem is not a compose file)',
  };
  return new UserError(`${shown(path)} cannot be read: ${why[code] ?? code}.`, { where: { file: shown(path) }, hint: 'Point the path at a regular text file.' });
}

/** See FileReader.problem. */
export function fileProblem(path: string): string | undefined {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return 'is a symbolic link loop';
    if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
    return undefined;
  }
  if (st.isDirectory()) return 'is a directory, not a file';
  if (st.isFIFO()) return 'is a named pipe, not a regular file';
  if (st.isSocket()) return 'is a socket, not a regular file';
  if (!st.isFile()) return 'is a device, not a regular file';
  if (st.size > MAX_INPUT_FILE_BYTES) return `is ${mib(st.size)}, more than the ${mib(MAX_INPUT_FILE_BYTES)} limit for compose, env and label files`;
  return undefined;
}

const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

/** Checks a file before it is opened: the open itself would block on a named pipe. */
function checkRegularFile(path: string): void {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw unreadable(path, e);
  }
  if (st.isDirectory()) throw new UserError(`${shown(path)} is a directory, not a file.`, { hint: 'Point the path at the file inside it.' });
  if (!st.isFile()) {
    const kind = st.isFIFO() ? 'a named pipe' : st.isSocket() ? 'a socket' : 'a device';
    throw new UserError(`${shown(path)} is ${kind}, not a regular file; it is not read.`, { hint: 'Point the path at a regular text file.' });
  }
  if (st.size > MAX_INPUT_FILE_BYTES) throw tooLarge(path, st.size);
}

function tooLarge(path: string, size: number): UserError {
  const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;
  return new UserError(`${shown(path)} is ${mb(size)}, more than the ${mb(MAX_INPUT_FILE_BYTES)} limit for compose, env and label files.`, {
    hint: 'Check that the path names the intended file.',
  });
}

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Bytes -> text, refusing binary files and invalid UTF-8 with the file and line. */
export function decodeText(bytes: Buffer, file: string): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new UserError('this is not a text file (it contains NUL bytes).', { where: { file, line: lineAt(bytes, nul) }, hint: 'Point the path at the YAML or env file.' });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // find the first byte sequence that does not decode, for the line number
    let lo = 0;
    let hi = bytes.length;
    const ok = (n: number) => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
        return true;
      } catch {
        return false;
      }
    };
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ok(mid)) lo = mid;
      else hi = mid - 1;
    }
    throw new UserError('the file is not valid UTF-8 text.', { where: { file, line: lineAt(bytes, lo) }, hint: 'Save it as UTF-8.' });
  }
}

/** Blocks the thread for `ms` without spinning (the loader is synchronous). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Standard input to its end, whatever it is: a pipe whose writer is slow (a non-blocking pipe
 * answers EAGAIN until data arrives: readFileSync(0) failed with it), a regular file, a
 * terminal (up to Ctrl-D). At most MAX_INPUT_FILE_BYTES: `-f - < /dev/zero` stops at the limit
 * instead of reading forever.
 */
export function readStandardInput(fd = 0, limit = MAX_INPUT_FILE_BYTES): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let waited = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
        // back off up to 50 ms between polls, so a slow writer costs no CPU
        waited = Math.min(50, waited + 1);
        pause(waited);
        continue;
      }
      if (code === 'EOF') break; // Windows consoles
      if (code === 'EISDIR') throw new UserError('standard input is a directory, not a compose file.', { hint: 'Pipe or redirect a compose file into -f -.' });
      throw new UserError(`standard input cannot be read: ${code ?? (e as Error).message}.`, { hint: 'Pipe or redirect a compose file into -f -.' });
    }
    if (n === 0) break;
    waited = 0;
    total += n;
    if (total > limit) {
      throw new UserError(`the compose file on standard input is more than the ${limit / 1024 / 1024} MiB limit for compose files; it was not read further.`, {
        hint: 'Check what is piped or redirected into -f -.',
      });
    }
    chunks.push(chunk.subarray(0, n));
  }
  return Buffer.concat(chunks, total);
}

export const nodeFileReader: FileReader = Object.freeze({
  readFile(path: string): string {
    checkRegularFile(path);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw unreadable(path, e);
    }
    if (bytes.length > MAX_INPUT_FILE_BYTES) throw tooLarge(path, bytes.length);
    return decodeText(bytes, shown(path));
  },
  /** Whether something is there to read: a missing path or a directory is not; a pipe or a link loop is, and readFile says what is wrong with it. */
  exists(path: string): boolean {
    try {
      return !statSync(path).isDirectory();
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ELOOP' || (e as NodeJS.ErrnoException).code === 'EACCES';
    }
  },
  readStdin(): string {
    return decodeText(readStandardInput(), '(stdin)');
  },
  realpath(p: string): string {
    return realpathSync(p);
  },
  problem: fileProblem,
});
