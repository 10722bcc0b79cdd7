/**
 * File-based compose secrets reach CloudFormation as NoEcho parameter values, read here at
 * `up` and nowhere else: never in the template, never in an event, never logged. The converter
 * says which parameter each file feeds (`secretParameterInputs` in convert/).
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../cli/errors.js';

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

export async function readSecretValues(
  inputs: readonly SecretFile[],
  read: (file: string) => Promise<Buffer> = (f) => readFile(f),
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const i of inputs) {
    let content: Buffer;
    try {
      content = await read(i.file);
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'unreadable';
      throw new UserError(`Secret "${i.secret}": cannot read its file ${i.file} (${code}).`, {
        hint: 'Create the file, or point "file:" at it.',
        where: { path: `secrets.${i.secret}.file` },
      });
    }
    if (content.length > PARAMETER_VALUE_LIMIT) {
      throw new UserError(`Secret "${i.secret}": its file is ${content.length} bytes, more than the 4,096 a CloudFormation parameter can carry.`, {
        hint: 'Store it in Secrets Manager yourself and declare the secret with "external: true" and its ARN as "name".',
        where: { path: `secrets.${i.secret}.file` },
      });
    }
    values[i.parameter] = content.toString('utf8');
  }
  return values;
}
