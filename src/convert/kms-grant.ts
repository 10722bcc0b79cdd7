/**
 * `kms:Decrypt` for the keys secrets are encrypted with (`x-aws-kms_key_id`). Secrets Manager takes
 * the key as a key ARN, a key id, an alias name or an alias ARN, but an IAM policy names keys only
 * by key ARN: an alias or key id in `Resource` is a MalformedPolicyDocument, and an alias ARN there
 * grants nothing on the key (https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html).
 * So a key id becomes the key ARN in the stack's account and region, and an alias becomes a grant
 * on the account's keys limited to the key that alias points at (`kms:ResourceAliases`), used
 * through Secrets Manager only (`kms:ViaService`). Anything else is refused.
 */
import { UserError } from '../errors.js';
import { sub, type Value } from '../cloudformation/template.js';

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const ALIAS = /^alias\/[a-zA-Z0-9/_-]+$/;
const ALIAS_ARN = /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}):(alias\/[a-zA-Z0-9/_-]+)$/;

export type KmsKey = { kind: 'key'; resource: Value } | { kind: 'alias'; keys: Value; alias: string };

/** What `x-aws-kms_key_id` names, or a refusal naming where it is written. */
export function parseKmsKey(value: string, path: string): KmsKey {
  if (KEY_ARN.test(value)) return { kind: 'key', resource: value };
  if (KEY_ID.test(value)) return { kind: 'key', resource: sub(`arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:key/${value}`) };
  if (ALIAS.test(value)) return { kind: 'alias', keys: sub('arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*'), alias: value };
  const aliasArn = ALIAS_ARN.exec(value);
  if (aliasArn) return { kind: 'alias', keys: `${aliasArn[1]}:key/*`, alias: aliasArn[2]! };
  throw new UserError(`${path}.x-aws-kms_key_id is ${JSON.stringify(value)}, which is not a KMS key ARN, key id, alias name (alias/...) or alias ARN.`, {
    where: { path: `${path}.x-aws-kms_key_id` },
    hint: 'Copy the key ARN (arn:aws:kms:<region>:<account>:key/<id>) or the alias from the KMS console.',
  });
}

function keyOrder(v: Value): string {
  return JSON.stringify(v);
}

/** The execution role statements that let it decrypt with these keys, in a stable order. */
export function kmsDecryptStatements(keys: readonly KmsKey[]): Value[] {
  const resources = new Map<string, Value>();
  const aliases = new Map<string, Extract<KmsKey, { kind: 'alias' }>>();
  for (const k of keys) {
    if (k.kind === 'key') resources.set(keyOrder(k.resource), k.resource);
    else aliases.set(`${keyOrder(k.keys)}|${k.alias}`, k);
  }
  const statements: Value[] = [];
  if (resources.size > 0) {
    statements.push({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [...resources.keys()].sort().map((k) => resources.get(k)!) });
  }
  for (const id of [...aliases.keys()].sort()) {
    const a = aliases.get(id)!;
    statements.push({
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [a.keys],
      Condition: {
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [a.alias] },
        StringEquals: { 'kms:ViaService': [sub('secretsmanager.${AWS::Region}.amazonaws.com')] },
      },
    });
  }
  return statements;
}
