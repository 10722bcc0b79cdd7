/**
 * Pass, label files: each `label_file` (KEY=VALUE lines, read like an env file) adds labels,
 * earlier files first; `labels` written in the compose file win. A missing label file is an
 * error naming the file and line of the entry.
 */
import type { LoadContext } from './context.js';
import { dict } from './dict.js';
import { displayName } from './display-name.js';
import { parseDotEnv } from './dotenv.js';
import type { ServiceConfig } from './model.js';
import type { RawMap } from './parse.js';
import { errorAt, locate } from './positions.js';

export function resolveLabelFiles(service: ServiceConfig, root: RawMap, ctx: LoadContext): void {
  if (!service.label_file?.length) return;
  const labels: Record<string, string> = dict();
  service.label_file.forEach((file, i) => {
    const problem = ctx.reader.problem?.(file);
    if (problem) {
      const path = ['services', service.name, 'label_file', i];
      throw errorAt(locate(root, path), `services.${service.name}.label_file names ${displayName(file, ctx.cwd)}, which ${problem}.`, path, 'Point it at the label file.');
    }
    if (!ctx.reader.exists(file)) {
      const path = ['services', service.name, 'label_file', i];
      throw errorAt(locate(root, path), `services.${service.name}.label_file names ${displayName(file, ctx.cwd)}, which does not exist.`, path, 'Create the file or remove the entry.');
    }
    Object.assign(labels, parseDotEnv(ctx.reader.readFile(file), displayName(file, ctx.cwd), () => undefined));
  });
  service.labels = { ...labels, ...(service.labels ?? {}) };
}
