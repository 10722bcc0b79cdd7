/**
 * File-based compose secrets reach CloudFormation as NoEcho parameter values, read here at
 * `up` and nowhere else: never in the template, never in an event, never logged. The converter
 * says which parameter each file feeds (`secretParameterInputs` in convert/).
 */
import { readFile, stat } from 'node:fs/promises';
import { UserError } from '../errors.js';

/** CloudFormation's limit for one parameter value. */
export const PARAMETER_VALUE_LIMIT = 4096;

export interface SecretFile {
  /** the NoEcho template parameter */
  parameter: string;
  /** the compose secret key, for messages */
  secret: string;
  /** absolute path */
  file: string;
}

/**
 * Reads a secret file only when it is a regular file of at most the parameter limit: opening a
 * named pipe would block `up` forever (for root too), and a huge file would be read for nothing.
 */
export async function readRegularFile(file: string): Promise<Buffer> {
  const st = await stat(file);
  if (!st.isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: st.isDirectory() ? 'EISDIR' : st.isFIFO() ? 'a named pipe, not a regular file' : 'not a regular file' });
  if (st.size > PARAMETER_VALUE_LIMIT) throw Object.assign(new Error(`${file} is too large`), { code: 'EFBIG', size: st.size });
  return readFile(file);
}

export async function readSecretValues(
  inputs: readonly SecretFile[],
  read: (file: string) => Promise<Buffer> = readRegularFile,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const i of inputs) {
    let content: Buffer;
    try {
      content = await read(i.file);
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'unreadable';
      const size = (e as { size?: number }).size;
      if (code === 'EFBIG' && size !== undefined) throw tooLarge(i, size);
      throw new UserError(`Secret "${i.secret}": cannot read its file ${i.file} (${code}).`, {
        hint: 'Create the file, or point "file:" at it.',
        where: { path: `secrets.${i.secret}.file` },
      });
    }
    if (content.length > PARAMETER_VALUE_LIMIT) throw tooLarge(i, content.length);
    values[i.parameter] = content.toString('utf8');
  }
  return values;
}

function tooLarge(i: SecretFile, size: number): UserError {
  return new UserError(`Secret "${i.secret}": its file is ${size} bytes, more than the 4,096 a CloudFormation parameter can carry.`, {
    hint: 'Store it in Secrets Manager yourself and declare the secret with "external: true" and its ARN as "name".',
    where: { path: `secrets.${i.secret}.file` },
  });
}
