/**
 * File-based and environment compose secrets reach CloudFormation as NoEcho parameter values,
 * read here at `up` and nowhere else: never in the template, never in an event, never logged. The converter
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
    values[i.parameter] = secretText(i, content);
  }
  return values;
}

/**
 * The value as text, byte for byte, or a refusal: a parameter (and SecretString) carries text, so
 * invalid UTF-8 would reach AWS as U+FFFD characters (a corrupted value, deployed silently) and a
 * NUL byte is not text at all.
 */
function secretText(i: SecretFile, content: Buffer): string {
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(content);
  } catch {
    text = undefined;
  }
  if (text === undefined || content.includes(0)) {
    throw new UserError(`Secret "${i.secret}": its file ${i.file} is binary (${text === undefined ? 'not valid UTF-8' : 'it contains NUL bytes'}), and a CloudFormation parameter carries only text, so the value would not arrive byte for byte.`, {
      hint: 'Store it base64-encoded (base64 FILE > FILE.b64, and decode it in the container), or create it in Secrets Manager yourself and declare it with "external: true".',
      where: { path: `secrets.${i.secret}.file` },
    });
  }
  return text;
}

function tooLarge(i: SecretFile, size: number): UserError {
  return new UserError(`Secret "${i.secret}": its file is ${size} bytes, more than the 4,096 a CloudFormation parameter can carry.`, {
    hint: 'Store it in Secrets Manager yourself and declare the secret with "external: true" and its ARN as "name".',
    where: { path: `secrets.${i.secret}.file` },
  });
}

export interface SecretVariable {
  parameter: string;
  secret: string;
  variable: string;
}

/**
 * Values of `environment:` secrets, from the project's environment (the shell over .env, as the
 * loader saw it). Checked like files: set, and within the parameter limit; never printed.
 */
export function readSecretVariables(inputs: readonly SecretVariable[], environment: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const i of inputs) {
    const value = environment[i.variable];
    if (value === undefined) {
      throw new UserError(`Secret "${i.secret}" takes its value from the environment variable ${i.variable}, which is not set.`, {
        hint: `Set ${i.variable} in the shell or in the .env file, then run again.`,
        where: { path: `secrets.${i.secret}.environment` },
      });
    }
    const size = Buffer.byteLength(value, 'utf8');
    if (size > PARAMETER_VALUE_LIMIT) {
      throw new UserError(`Secret "${i.secret}": the environment variable ${i.variable} holds ${size} bytes, more than the 4,096 a CloudFormation parameter can carry.`, {
        hint: 'Store it in Secrets Manager yourself and declare the secret with "external: true" and its ARN as "name".',
        where: { path: `secrets.${i.secret}.environment` },
      });
    }
    values[i.parameter] = value;
  }
  return values;
}
