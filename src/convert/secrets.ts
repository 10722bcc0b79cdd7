/**
 * Secrets (seed: Secret -> Secret; a service's secrets -> an init container and its execution
 * role).
 *
 * A top-level secret with `file:` or `environment:` becomes an AWS::SecretsManager::Secret whose
 * SecretString is a NoEcho template parameter (`<Secret>SecretValue`). The converter never reads
 * the file or the variable: the template and `convert` output hold only the parameter's name; `up`
 * reads the file, or the variable from the project's environment, and passes the value as that
 * parameter (see `secretParameterInputs`, `secretEnvironmentInputs`), and CloudFormation masks NoEcho values in
 * every API answer and event. The old integration embedded the file's content in the template
 * (design 4.2). `external: true` with `name:` a Secrets Manager ARN uses that secret as it is.
 *
 * A service that lists secrets gets an init container (a standard public image pinned by tag and
 * digest, not Docker Hub's helper image: design 4.3) that receives each secret from ECS's own
 * `Secrets`/`ValueFrom` (ECS fetches it with the execution role; the value never passes through
 * the template or the command line) and writes it to `/run/secrets/<target>` in a task-local
 * volume; the service's container mounts that volume read-only at /run/secrets and starts once the
 * init container has exited 0. `x-aws-keys` writes chosen JSON keys of a secret as files under
 * `/run/secrets/<target>/`, with ECS's native JSON-key syntax `<arn>:<key>::`, so each key arrives
 * as its own variable and no JSON parser is needed in the image.
 */
import path from 'node:path';
import { initImageOf } from './init-image.js';
import { UserError, warning, type Diagnostic } from '../errors.js';
import type { Project, SecretConfig, ServiceConfig, ServiceSecretRef } from '../compose/model.js';
import { join, ref, type Parameter, type Resource, type Value } from '../cloudformation/template.js';
import type { ConvertContext } from './context.js';
import { projectTag } from './tags.js';
import { SECRET_EXTENSIONS, X_AWS_KEYS, X_AWS_KMS_KEY_ID } from './extensions.js';
import { readString, readStringList } from './extension-values.js';
import { type Fragment } from './fragment.js';
import { kmsDecryptStatements, parseKmsKey, type KmsKey } from './kms-grant.js';
import * as naming from './naming.js';

export { SECRETS_INIT_IMAGE } from './init-image.js';

export const SECRETS_DIR = '/run/secrets';

/**
 * The compose spec's default for a service secret (long syntax `mode`): world-readable, so a
 * container that runs as a non-root user (compose `user:` or the image's USER) can read it, as it
 * can under `docker compose`, which bind-mounts the file with the host's mode. `uid` / `gid`
 * (default 0) and `mode` are applied by the init container.
 */
export const DEFAULT_SECRET_MODE = 0o444;

/** Path segments the init script may use without quoting trouble; anything else is refused. */
const SAFE_SEGMENT = /^[A-Za-z0-9_@%+=:,.-]+$/;

const SECRETS_MANAGER_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;

function secretPath(key: string): string {
  return `secrets.${key}`;
}

/** The Secrets Manager ARN (or a Ref to the created secret) that ValueFrom and IAM name. */
function secretArn(key: string, config: SecretConfig): Value {
  const where = { path: secretPath(key), ...(config.origin ? { file: config.origin.file, line: config.origin.line } : {}) };
  if (config.external) {
    if (!SECRETS_MANAGER_ARN.test(config.name)) {
      throw new UserError(`External secret ${key} must be named by the ARN of a Secrets Manager secret, got ${JSON.stringify(config.name)}.`, {
        where,
        hint: `convert runs offline and cannot look a name up; write secrets: { ${key}: { external: true, name: "arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf" } }.`,
      });
    }
    return config.name;
  }
  return ref(naming.secret(config.name));
}

function keysOf(key: string, config: SecretConfig): string[] | undefined {
  const keys = readStringList(config.extensions, X_AWS_KEYS, secretPath(key));
  if (keys === undefined) return undefined;
  for (const k of keys) {
    if (k === '*') {
      throw new UserError(`Secret ${key}: ${X_AWS_KEYS} "*" (every key) is not supported; list the JSON keys to write.`, {
        where: { path: `${secretPath(key)}.${X_AWS_KEYS}` },
        hint: 'ECS hands each JSON key to the init container by name, so the names must be known when the template is written.',
      });
    }
    if (!SAFE_SEGMENT.test(k) || k === '.' || k === '..') {
      throw new UserError(`Secret ${key}: ${X_AWS_KEYS} entry ${JSON.stringify(k)} cannot be a file name; use letters, digits and . _ - only.`, {
        where: { path: `${secretPath(key)}.${X_AWS_KEYS}` },
      });
    }
  }
  return [...new Set(keys)].sort();
}

/** Keys of `project.secrets` that the enabled services use, sorted. */
function usedSecrets(project: Project): Set<string> {
  return new Set(Object.values(project.services).flatMap((s) => (s.secrets ?? []).map((r) => r.source)));
}

/** Which file feeds which NoEcho parameter; `up` reads each file and passes its content. */
export interface SecretParameterInput {
  /** the template parameter, `<Secret>SecretValue` */
  parameter: string;
  /** the compose secret key */
  secret: string;
  /** absolute path, as resolved by the loader */
  file: string;
}

/** Which environment variable feeds which NoEcho parameter (`secrets: { s: { environment: VAR } }`). */
export interface SecretEnvironmentInput {
  parameter: string;
  secret: string;
  /** the variable's name; `up` takes its value from the project's environment (shell, then .env) */
  variable: string;
}

/** The project's secrets that some service uses and that the template creates (not external), by key. */
function createdSecrets(project: Project): [string, Project['secrets'][string]][] {
  const used = usedSecrets(project);
  return Object.keys(project.secrets)
    .sort()
    .filter((key) => used.has(key) && !project.secrets[key]!.external)
    .map((key) => [key, project.secrets[key]!]);
}

/** The NoEcho parameters fed from environment variables, for `up`. Pure: names only, never values. */
export function secretEnvironmentInputs(project: Project): SecretEnvironmentInput[] {
  return createdSecrets(project).flatMap(([key, config]) =>
    config.file !== undefined || config.environment === undefined ? [] : [{ parameter: naming.secretValueParameter(config.name), secret: key, variable: config.environment }],
  );
}

/**
 * The NoEcho parameters of the template and the files that hold their values, for `up`. Pure: it
 * names the files, never reads them. With `secretEnvironmentInputs`, covers exactly the secrets
 * `convertSecrets` creates.
 */
export function secretParameterInputs(project: Project): SecretParameterInput[] {
  return createdSecrets(project).flatMap(([key, config]) =>
    config.file === undefined ? [] : [{ parameter: naming.secretValueParameter(config.name), secret: key, file: config.file }],
  );
}

const IGNORED_SECRET_KEYS = ['labels', 'driver', 'driver_opts', 'template_driver'] as const;

/** One Secrets Manager secret and its NoEcho parameter per file-based secret a service uses. */
export function convertSecrets(ctx: ConvertContext): Fragment {
  const resources: Record<string, Resource> = {};
  const parameters: Record<string, Parameter> = {};
  const diagnostics: Diagnostic[] = [];
  const used = usedSecrets(ctx.project);
  for (const key of Object.keys(ctx.project.secrets).sort()) {
    const config = ctx.project.secrets[key]!;
    for (const k of Object.keys(config.extensions).filter((e) => e.startsWith('x-aws-') && !SECRET_EXTENSIONS.includes(e)).sort()) {
      diagnostics.push(warning(`Secret ${key}: ${k} is not an x-aws key this tool knows, and is ignored (known: ${SECRET_EXTENSIONS.join(', ')}).`, undefined, `${secretPath(key)}.${k}`));
    }
    for (const k of IGNORED_SECRET_KEYS) {
      if (config[k] !== undefined) diagnostics.push(warning(`Secret ${key}: ${k} is ignored; the secret is stored in AWS Secrets Manager.`, undefined, `${secretPath(key)}.${k}`));
    }
    if (!used.has(key)) continue;
    secretArn(key, config); // validates the shape even for external secrets
    keysOf(key, config);
    if (config.external) continue;
    const parameter = naming.secretValueParameter(config.name);
    parameters[parameter] = {
      Type: 'String',
      NoEcho: true,
      Description:
        config.file === undefined
          ? `Value of the environment variable ${config.environment ?? ''} of secret ${key}; passed by up, never stored in the template`
          : `Content of the file of secret ${key}; passed by up, never stored in the template`,
    };
    parameters[naming.secretRevisionParameter(config.name)] = {
      Type: 'String',
      Description: `Random marker up renews when the value of secret ${key} changes, so the services that read it restart; never derived from the value`,
    };
    const properties: Record<string, Value> = {
      Description: `Secret ${config.name}`,
      SecretString: ref(parameter),
      Tags: [projectTag(ctx)],
    };
    const kms = readString(config.extensions, X_AWS_KMS_KEY_ID, secretPath(key));
    if (kms !== undefined) {
      parseKmsKey(kms, secretPath(key)); // refused here when IAM could not grant it
      properties.KmsKeyId = kms;
    }
    // deleted with the stack on down, said explicitly: the value lives in the compose project's file
    resources[naming.secret(config.name)] = { Type: 'AWS::SecretsManager::Secret', DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete', Properties: properties };
  }
  return { resources, parameters, diagnostics };
}

/** `target` relative to /run/secrets, checked; an absolute target must lie under /run/secrets. */
function relativeTarget(service: ServiceConfig, secretRef: ServiceSecretRef): string {
  const raw = secretRef.target ?? secretRef.source;
  const where = { path: `services.${service.name}.secrets`, file: service.origin.file, line: service.origin.line };
  let rel = raw;
  if (raw.startsWith('/')) {
    const normalized = path.posix.normalize(raw);
    if (!normalized.startsWith(`${SECRETS_DIR}/`)) {
      throw new UserError(`Service ${service.name}: secrets target ${raw} is outside ${SECRETS_DIR}; on ECS secrets are files under ${SECRETS_DIR}.`, {
        where,
        hint: `Use a relative target (it lands in ${SECRETS_DIR}/) and point the application there.`,
      });
    }
    rel = normalized.slice(SECRETS_DIR.length + 1);
  }
  rel = path.posix.normalize(rel).replace(/\/+$/, '');
  const segments = rel.split('/');
  if (rel === '' || rel === '.' || segments.some((s) => s === '..' || s === '.' || !SAFE_SEGMENT.test(s))) {
    throw new UserError(`Service ${service.name}: secrets target ${JSON.stringify(raw)} is not a usable file name under ${SECRETS_DIR}; use letters, digits, / and . _ - only.`, { where });
  }
  return rel;
}

function owner(service: ServiceConfig, secretRef: ServiceSecretRef): string | undefined {
  for (const [k, v] of [
    ['uid', secretRef.uid],
    ['gid', secretRef.gid],
  ] as const) {
    if (v !== undefined && !/^\d+$/.test(v)) {
      throw new UserError(`Service ${service.name}: secrets ${secretRef.source} ${k} must be a number, got ${JSON.stringify(v)}.`, {
        where: { path: `services.${service.name}.secrets` },
      });
    }
  }
  if (secretRef.uid === undefined && secretRef.gid === undefined) return undefined;
  return `${secretRef.uid ?? '0'}:${secretRef.gid ?? '0'}`;
}

const quote = (s: string): string => `'${s}'`;

interface SecretFile {
  variable: string;
  valueFrom: Value;
  file: string;
  mode: number;
  owner?: string;
}

/** What a service with secrets adds to its task definition and its execution role. */
export interface ServiceSecrets {
  initContainer: Record<string, Value>;
  /** the task volume the init container writes */
  volume: Value;
  /** the service container's read-only mount of it */
  mountPoint: Value;
  dependsOn: Value;
  /** for the execution role: what it may read and decrypt */
  statements: Value[];
}

/** ARNs (or Refs) of the secrets a service reads, and the KMS keys they are encrypted with. */
function secretsOf(ctx: ConvertContext, service: ServiceConfig): { arns: Value[]; kmsKeys: KmsKey[] } {
  const arns = new Map<string, Value>();
  const kms: KmsKey[] = [];
  for (const r of service.secrets ?? []) {
    const config = ctx.project.secrets[r.source]!;
    const arn = secretArn(r.source, config);
    arns.set(JSON.stringify(arn), arn);
    const key = readString(config.extensions, X_AWS_KMS_KEY_ID, secretPath(r.source));
    if (key !== undefined) kms.push(parseKmsKey(key, secretPath(r.source)));
  }
  return { arns: [...arns.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v), kmsKeys: kms };
}

/** The execution role statements for a service's secrets: exactly those secrets, and their KMS keys. */
export function secretPolicyStatements(ctx: ConvertContext, service: ServiceConfig): Value[] {
  if (!service.secrets?.length) return [];
  const { arns, kmsKeys } = secretsOf(ctx, service);
  const statements: Value[] = [{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: arns }];
  statements.push(...kmsDecryptStatements(kmsKeys));
  return statements;
}

/**
 * The init container and its wiring for one service, or undefined when it has no secrets.
 * `logConfiguration` is the service container's, so the init container logs beside it.
 */
export function serviceSecrets(ctx: ConvertContext, service: ServiceConfig, logConfiguration: Value): ServiceSecrets | undefined {
  const refs = [...(service.secrets ?? [])];
  if (refs.length === 0) return undefined;
  const files: SecretFile[] = [];
  const seen = new Map<string, string>();
  const withTargets = refs.map((r) => ({ r, target: relativeTarget(service, r) })).sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  withTargets.forEach(({ r, target }, i) => {
    const config = ctx.project.secrets[r.source]!;
    const arn = secretArn(r.source, config);
    const mode = r.mode ?? DEFAULT_SECRET_MODE;
    const own = owner(service, r);
    const keys = keysOf(r.source, config);
    const entries: [string, Value, string][] = keys
      ? keys.map((k, j) => [`SECRET_${i}_${j}`, join('', [arn, `:${k}::`]), `${target}/${k}`])
      : [[`SECRET_${i}`, arn, target]];
    for (const [variable, valueFrom, file] of entries) {
      const clash = seen.get(file);
      if (clash !== undefined) {
        throw new UserError(`Service ${service.name}: secrets ${clash} and ${r.source} both write ${SECRETS_DIR}/${file}; give one another target.`, {
          where: { path: `services.${service.name}.secrets` },
        });
      }
      seen.set(file, r.source);
      files.push({ variable, valueFrom, file: `${SECRETS_DIR}/${file}`, mode, ...(own ? { owner: own } : {}) });
    }
  });

  // The script names variables, never values: set -x is off, nothing is echoed, and printf is a
  // shell builtin, so a value is never an argument of a process either.
  const dirs = [...new Set(files.map((f) => path.posix.dirname(f.file)).filter((d) => d !== SECRETS_DIR))].sort();
  const lines = ['set -eu'];
  if (dirs.length > 0) lines.push('umask 022', `mkdir -p ${dirs.map(quote).join(' ')}`);
  lines.push('umask 077');
  for (const f of files) {
    lines.push(`printf '%s' "$${f.variable}" > ${quote(f.file)}`);
    if (f.owner) lines.push(`chown ${f.owner} ${quote(f.file)}`);
    lines.push(`chmod ${f.mode.toString(8).padStart(4, '0')} ${quote(f.file)}`);
  }

  // A changed file value changes the secret but not its ARN, so nothing in the task definition
  // would change and running tasks would keep the old value (ECS reads a secret when a task starts).
  // `up` renews the secret's revision marker then; the label changes the task definition, and the
  // services that read the secret roll out new tasks after the secret was updated.
  const revisions: Record<string, Value> = {};
  for (const r of refs) {
    const config = ctx.project.secrets[r.source]!;
    if (!config.external) revisions[naming.secretRevisionLabel(r.source)] = ref(naming.secretRevisionParameter(config.name));
  }
  const name = naming.secretsInitContainer(service.name);
  return {
    initContainer: {
      Name: name,
      Image: initImageOf(ctx.project),
      Essential: false,
      ...(Object.keys(revisions).length > 0 ? { DockerLabels: revisions } : {}),
      Command: ['sh', '-c', lines.join('\n')],
      Secrets: files.map((f) => ({ Name: f.variable, ValueFrom: f.valueFrom })),
      MountPoints: [{ ContainerPath: SECRETS_DIR, SourceVolume: naming.SECRETS_TASK_VOLUME, ReadOnly: false }],
      LogConfiguration: logConfiguration,
    },
    volume: { Name: naming.SECRETS_TASK_VOLUME },
    mountPoint: { ContainerPath: SECRETS_DIR, SourceVolume: naming.SECRETS_TASK_VOLUME, ReadOnly: true },
    dependsOn: { ContainerName: name, Condition: 'SUCCESS' },
    statements: secretPolicyStatements(ctx, service),
  };
}
