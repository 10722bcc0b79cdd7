import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';

/**
 * Docker's context store on disk: `<config>/contexts/meta/<sha256(name)>/meta.json`.
 * We read every context docker can read, and write ours the way docker's own store does
 * (atomic rename), so `docker context ls/inspect/use/rm/export` work on them unchanged.
 */
export interface ContextMeta {
  Name: string;
  Metadata: { Description?: string; Type?: string } & Record<string, unknown>;
  Endpoints: Record<string, Record<string, unknown> | undefined>;
}

/** docker's rule (cli/context/store): at least 2 characters, and `default` is taken. */
const CONTEXT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$/;

export function checkContextName(name: string): void {
  if (name === 'default') {
    throw new UserError('"default" is a reserved context name; choose another name.');
  }
  if (!CONTEXT_NAME.test(name)) {
    throw new UserError(
      `"${name}" is not a valid context name: use at least 2 characters, starting with a letter or digit, then letters, digits, "_", ".", "+" or "-".`,
    );
  }
}

export function contextMetaDir(configDir: string, name: string): string {
  return join(configDir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
}

function parseMeta(file: string): ContextMeta {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code) {
      throw new UserError(`Cannot read the docker context file ${file}: ${(e as Error).message}.`);
    }
    throw new UserError(
      `The docker context file ${file} is not valid JSON; remove that folder or fix the file (docker context ls fails on it too).`,
    );
  }
  const meta = value as Partial<ContextMeta> | null;
  if (!meta || typeof meta !== 'object' || typeof meta.Name !== 'string') {
    throw new UserError(`The docker context file ${file} has no "Name"; remove that folder or fix the file.`);
  }
  if (meta.Metadata !== undefined && (typeof meta.Metadata !== 'object' || meta.Metadata === null)) {
    throw new UserError(`The docker context file ${file} has a "Metadata" that is not an object; fix or remove it.`);
  }
  return { Name: meta.Name, Metadata: meta.Metadata ?? {}, Endpoints: meta.Endpoints ?? {} };
}

export function readContext(configDir: string, name: string): ContextMeta | undefined {
  const file = join(contextMetaDir(configDir, name), 'meta.json');
  if (!existsSync(file)) return undefined;
  return parseMeta(file);
}

/** Every context in the store, sorted by name as `docker context ls` sorts them. */
export function listContexts(configDir: string): ContextMeta[] {
  const root = join(configDir, 'contexts', 'meta');
  if (!existsSync(root)) return [];
  const out: ContextMeta[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = join(root, entry.name, 'meta.json');
    if (existsSync(file)) out.push(parseMeta(file));
  }
  return out.sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

export function writeNewContext(configDir: string, meta: ContextMeta): string {
  checkContextName(meta.Name);
  if (readContext(configDir, meta.Name)) {
    throw new UserError(`Context "${meta.Name}" already exists; pick another name or remove it with \`docker context rm ${meta.Name}\`.`);
  }
  const file = join(contextMetaDir(configDir, meta.Name), 'meta.json');
  try {
    writeFileAtomic(file, JSON.stringify(meta), 0o644);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`Cannot write the docker context store under ${configDir}: ${err.code ?? err.message}; check that the folder is writable.`);
  }
  return file;
}

/** Only for tests and failed writes: docker's own `context rm` is what users run. */
export function removeContextDir(configDir: string, name: string): void {
  rmSync(contextMetaDir(configDir, name), { recursive: true, force: true });
}
