/**
 * A secret file named by mistake where a compose, env or label file is expected (`-f`,
 * `--env-file`, `env_file`, `include`, `extends.file`, `label_file`) must not have its content
 * quoted when it fails to read as one (`pw.txt:1: cannot read "correct horse S3CR3T staple"`).
 * When loading fails on a file, the files the project declares as secrets are found (best
 * effort: a compose file that does not parse declares none) and a failure in one of them is
 * replaced by a sentence that names the file but shows nothing of it.
 */
import { posix } from 'node:path';
import { UserError } from '../errors.js';
import type { ComposeFile } from './context.js';
import type { FileReader } from './model.js';
import { isMapping, parseYaml } from './parse.js';

/** Absolute secret file path -> secret name, from the compose files that parse. */
export function declaredSecretFiles(files: readonly ComposeFile[], projectDir: string, reader: FileReader): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) {
    if (f.path === '-') continue;
    let doc;
    try {
      doc = parseYaml(reader.readFile(f.path), f.display);
    } catch {
      continue;
    }
    if (!isMapping(doc) || !isMapping(doc.secrets)) continue;
    for (const [name, s] of Object.entries(doc.secrets)) {
      if (isMapping(s) && typeof s.file === 'string' && !s.file.includes('$')) out.set(posix.resolve(projectDir, s.file), name);
    }
  }
  return out;
}

/** `error` as is, or a sentence without the file's content when it is about a secret file. */
export function withoutSecretContent(error: UserError, secretFiles: ReadonlyMap<string, string>, cwd: string): UserError {
  const file = error.where?.file;
  if (!file || file === '(stdin)') return error;
  const name = secretFiles.get(posix.resolve(cwd, file));
  if (name === undefined) return error;
  return new UserError(`${file} is the file of secret "${name}", and it is also named where a compose, env or label file is expected; it cannot be read as one, and its content is not shown.`, {
    where: { file },
    hint: 'Point that key or flag at the intended file.',
  });
}
