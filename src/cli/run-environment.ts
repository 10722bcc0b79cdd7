/**
 * `-e KEY=VALUE`, `-e KEY` (the value from this shell, left out when it is not set, as `docker
 * run` does) and `--env-from-file FILE` (KEY=VALUE lines, `#` comments) for `run` and `exec`, in
 * the order given, a later KEY replacing an earlier one. Values are never printed.
 */
import { readFileSync } from 'node:fs';
import { parseRawEnv } from '../compose/dotenv.js';
import { UserError } from '../errors.js';

export interface EnvironmentFlags {
  env?: string[];
  'env-from-file'?: string[];
}

export function runEnvironment(flags: EnvironmentFlags, env: NodeJS.ProcessEnv, read: (file: string) => string = (f) => readFileSync(f, 'utf8')): Array<{ name: string; value: string }> {
  const out = new Map<string, string>();
  for (const file of flags['env-from-file'] ?? []) {
    let text: string;
    try {
      text = read(file);
    } catch (e) {
      throw new UserError(`--env-from-file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give a file of KEY=VALUE lines.`);
    }
    for (const [k, v] of Object.entries(parseRawEnv(text))) out.set(k, v);
  }
  for (const entry of flags.env ?? []) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    if (name === '' || /\s/.test(name)) throw new UserError(`-e "${name}" is not a variable name; write -e KEY=VALUE, or -e KEY to pass KEY from this shell.`);
    if (eq >= 0) out.set(name, entry.slice(eq + 1));
    else if (env[name] !== undefined) out.set(name, env[name]!);
  }
  return [...out].map(([name, value]) => ({ name, value }));
}
