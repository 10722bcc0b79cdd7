/**
 * `.env`, `--env-file` and service `env_file` parsing, after compose-go's `dotenv` package:
 *
 *   # comment                 KEY=value # trailing comment (unquoted values only)
 *   export KEY=value          KEY='literal, no $expansion'
 *   KEY="with \n escapes and ${INTERPOLATION}, may span lines"
 *   KEY                       (no `=`: takes the value of KEY from the lookup, if any)
 *
 * `${...}` in unquoted and double-quoted values is resolved from the lookup first (the process
 * environment), then from the keys defined earlier in the same file.
 */
import { dict } from './dict.js';
import { UserError } from '../errors.js';
import { substitute, TemplateError, type Lookup } from './interpolate.js';

/**
 * The line is not quoted: a file named by mistake as an env file (env_file, --env-file,
 * include.env_file, label_file) may be a secret file, whose content must never reach a message.
 */
const NOT_AN_ENV_LINE = 'this line is not KEY=VALUE (its text is not shown, in case the file holds a secret).';

export function parseDotEnv(text: string, file: string, lookup: Lookup): Record<string, string> {
  const vars: Record<string, string> = dict();
  const resolve: Lookup = (name) => lookup(name) ?? (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined);
  const src = text.replace(/\r\n?/g, '\n');
  let i = 0;
  let line = 1;
  const fail = (msg: string, at: number): never => {
    throw new UserError(msg, { where: { file, line: at }, hint: 'Fix that line of the env file.' });
  };
  const interpolate = (value: string, at: number): string => {
    try {
      return substitute(value, resolve);
    } catch (e) {
      // the value itself is not quoted: an env file named by mistake may be a secret file
      if (e instanceof TemplateError) fail(e.kind === 'required' ? `${e.message} in the env file.` : 'the value has an invalid ${...} interpolation; write $$ for a literal dollar sign.', at);
      throw e;
    }
  };
  while (i < src.length) {
    let end = src.indexOf('\n', i);
    if (end < 0) end = src.length;
    const raw = src.slice(i, end);
    const startLine = line;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i = end + 1;
      line++;
      continue;
    }
    const body = trimmed.replace(/^export\s+/, '');
    const eq = body.indexOf('=');
    if (eq < 0) {
      const key = body;
      if (!/^[^\s=]+$/.test(key)) fail(NOT_AN_ENV_LINE, startLine);
      const v = lookup(key);
      if (v !== undefined) vars[key] = v;
      i = end + 1;
      line++;
      continue;
    }
    const key = body.slice(0, eq).trim();
    if (key === '' || /\s/.test(key)) fail('this line is not KEY=VALUE with a key without spaces (its text is not shown, in case the file holds a secret).', startLine);
    // The value starts right after `=` in the original text (quoted values may span lines).
    let p = i + raw.indexOf('=', raw.indexOf(key) + key.length) + 1;
    while (src[p] === ' ' || src[p] === '\t') p++;
    const quote = src[p];
    if (quote === "'" || quote === '"') {
      let q = p + 1;
      let value = '';
      for (;;) {
        if (q >= src.length) fail(`the value of ${key} has no closing ${quote}.`, startLine);
        const c = src[q]!;
        if (c === '\n') line++;
        if (c === quote) break;
        if (quote === '"' && c === '\\' && q + 1 < src.length) {
          const e = src[q + 1]!;
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === '"' || e === '\\' ? e : e === '$' ? '$$' : `\\${e}`;
          q += 2;
          continue;
        }
        value += c;
        q++;
      }
      vars[key] = quote === '"' ? interpolate(value, startLine) : value;
      // the rest of the line after the closing quote may only hold a comment
      let lineEnd = src.indexOf('\n', q);
      if (lineEnd < 0) lineEnd = src.length;
      const after = src.slice(q + 1, lineEnd).trim();
      if (after !== '' && !after.startsWith('#')) fail(`unexpected text after the quoted value of ${key}.`, line);
      i = lineEnd + 1;
      line++;
      continue;
    }
    let value = src.slice(p, end);
    const comment = value.search(/\s#/);
    if (comment >= 0) value = value.slice(0, comment);
    vars[key] = interpolate(value.trim(), startLine);
    i = end + 1;
    line++;
  }
  return vars;
}

/** `env_file` entries with `format: raw`: KEY=VALUE per line, values taken verbatim (no quotes, no ${}). */
export function parseRawEnv(text: string): Record<string, string> {
  const vars: Record<string, string> = dict();
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    vars[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return vars;
}
