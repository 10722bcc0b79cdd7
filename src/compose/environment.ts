/**
 * Pass, service environment: `env_file` contents, then `environment` over them. A variable
 * declared without a value takes its value from the project environment (process environment
 * over .env) or, failing that, from the env_file; it stays null when neither has it. A missing
 * env_file is an error unless the entry says `required: false`.
 */
import type { LoadContext } from './context.js';
import { dict } from './dict.js';
import { parseDotEnv, parseRawEnv } from './dotenv.js';
import { displayName } from './display-name.js';
import type { ServiceConfig } from './model.js';
import { errorAt, locate } from './positions.js';
import type { RawMap } from './parse.js';

export function resolveEnvironment(service: ServiceConfig, root: RawMap, ctx: LoadContext): void {
  if (!service.env_file?.length && !service.environment) return;
  const env: Record<string, string | null> = dict();
  (service.env_file ?? []).forEach((file, i) => {
    // a directory or a pipe is an error even for an optional entry: it is there, only not a file
    const problem = ctx.reader.problem?.(file.path);
    if (problem) {
      const path = ['services', service.name, 'env_file', i];
      throw errorAt(locate(root, path), `services.${service.name}.env_file names ${displayName(file.path, ctx.cwd)}, which ${problem}.`, path, 'Point it at the env file.');
    }
    if (!ctx.reader.exists(file.path)) {
      if (!file.required) return;
      const path = ['services', service.name, 'env_file', i];
      throw errorAt(locate(root, path), `services.${service.name}.env_file names ${displayName(file.path, ctx.cwd)}, which does not exist.`, path, 'Create the file, or mark the entry `required: false`.');
    }
    const text = ctx.reader.readFile(file.path);
    Object.assign(env, file.format === 'raw' ? parseRawEnv(text) : parseDotEnv(text, displayName(file.path, ctx.cwd), ctx.lookup));
  });
  for (const [key, value] of Object.entries(service.environment ?? {})) {
    // a valueless key does not erase what an env_file set (compose-go drops it before overlaying)
    env[key] = value ?? ctx.lookup(key) ?? (Object.prototype.hasOwnProperty.call(env, key) ? env[key]! : null);
  }
  service.environment = env;
}
