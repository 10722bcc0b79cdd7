/** How a file is named in messages: relative to the working directory when below it, else absolute. */
import { posix } from 'node:path';

export function displayName(abs: string, cwd: string): string {
  const rel = posix.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !posix.isAbsolute(rel) ? rel : abs;
}
