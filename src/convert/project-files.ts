/**
 * What the converter knows about files of the project folder: handed in by the shell (which reads
 * them, `cli/read-project-files.ts`) so that `convert` stays pure and offline. Keyed by absolute
 * path: every bind-mount source inside the project folder and every `configs` file.
 */
export type PathFacts =
  | { kind: 'missing' }
  /** content base64 */
  | { kind: 'file'; content: string; size: number; mode: number }
  | { kind: 'dir'; entries: DirEntry[]; size: number; tooLarge: boolean };

/** A regular file inside a folder; `path` relative to the folder, `/`-separated. */
export interface DirEntry {
  path: string;
  /** base64 */
  content: string;
  size: number;
  /** permission bits, e.g. 0o755 for a script */
  mode: number;
}

export type ProjectFiles = Readonly<Record<string, PathFacts>>;

/**
 * What a service's task may carry from the project folder: the files travel base64-encoded in its
 * task definition, and ECS allows 64 KiB per task definition (Amazon ECS service quotas), so the
 * raw bytes of one service's files stay under 40 KiB (about 54 KiB encoded) to leave room for
 * the rest of the definition. A folder is read only up to this budget and 200 files.
 */
export const FILES_BUDGET_BYTES = 40 * 1024;
export const FILES_MAX_ENTRIES = 200;
