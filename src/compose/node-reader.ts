/**
 * The file reader the commands layer hands to `load()`: the only place in `compose/` that
 * touches the file system.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import type { FileReader } from './model.js';

export const nodeFileReader: FileReader = Object.freeze({
  readFile(path: string): string {
    return readFileSync(path, 'utf8');
  },
  exists(path: string): boolean {
    return existsSync(path) && statSync(path).isFile();
  },
  readStdin(): string {
    return readFileSync(0, 'utf8');
  },
  realpath(p: string): string {
    return realpathSync(p);
  },
});
