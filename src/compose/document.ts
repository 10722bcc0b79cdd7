/**
 * One compose file, read: parse -> top level must be a mapping -> schema -> interpolation ->
 * canonical forms. The result is cached per absolute path in the load context.
 */
import { UserError } from '../cli/errors.js';
import { canonicalize } from './canonical.js';
import type { ComposeFile, LoadContext } from './context.js';
import { interpolateTree } from './interpolate.js';
import { isMapping, parseYaml, type RawMap } from './parse.js';
import { entryPos } from './positions.js';
import { validateSchema } from './schema.js';
import { kindOf } from './schema.js';

export function readDocument(file: ComposeFile, ctx: LoadContext): RawMap {
  const cached = ctx.documents.get(file.path);
  if (cached) return cached;
  let text: string;
  if (file.path === '-') {
    if (!ctx.reader.readStdin) throw new UserError('reading a compose file from stdin (-f -) is not available here.');
    text = ctx.reader.readStdin();
  } else {
    if (!ctx.reader.exists(file.path)) {
      throw new UserError(`compose file ${file.display} not found.`, { hint: 'Check the -f / COMPOSE_FILE path.' });
    }
    text = ctx.reader.readFile(file.path);
  }
  const parsed = parseYaml(text, file.display);
  let doc: RawMap;
  if (parsed === null) {
    throw new UserError('the compose file is empty.', { where: { file: file.display, line: 1 }, hint: 'Add a `services:` section, or leave the file out.' });
  } else if (!isMapping(parsed)) {
    throw new UserError(`the top level must be a mapping of compose keys (services, networks, volumes, ...), not ${kindOf(parsed)}.`, {
      where: { file: file.display, line: 1 },
      hint: 'Start the file with `services:`.',
    });
  } else doc = parsed;
  validateSchema(doc, file.display);
  interpolateTree(doc, ctx.lookup, ctx.warnings, ctx.warned);
  canonicalize(doc);
  if (doc.version !== undefined) {
    ctx.warnings.push({ message: 'the attribute `version` is obsolete, it will be ignored; remove it to avoid confusion.', file: file.display, line: entryPos(doc, 'version')?.line ?? 1, path: 'version' });
    delete doc.version;
  }
  ctx.documents.set(file.path, doc);
  return doc;
}
