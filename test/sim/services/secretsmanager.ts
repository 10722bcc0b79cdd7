/** Secrets Manager (JSON 1.1). */
import { SimError } from '../errors.js';
import type { Secret, World } from '../world.js';
import { date, page, type Handler } from './types.js';

function find(world: World, id: unknown): Secret | undefined {
  const s = String(id ?? '');
  if (world.secrets.has(s)) return world.secrets.get(s);
  return [...world.secrets.values()].find((x) => x.name === s || (s.startsWith('arn:') && x.arn.startsWith(s)));
}

function must(world: World, id: unknown): Secret {
  const s = find(world, id);
  if (!s) throw new SimError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  return s;
}

function notDeleted(s: Secret): void {
  if (s.deletedAt) throw new SimError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
}

function current(s: Secret) {
  return s.versions.find((v) => v.stages.includes('AWSCURRENT'));
}

export const secretsmanager: Record<string, Handler> = {
  CreateSecret({ world, params }) {
    const name = String(params.Name ?? '');
    if (!name) throw new SimError('InvalidParameterException', 'Name is required.');
    const existing = [...world.secrets.values()].find((s) => s.name === name);
    if (existing) {
      if (existing.deletedAt) throw new SimError('InvalidRequestException', `You can't create this secret because a secret with this name is already scheduled for deletion.`);
      if (params.ClientRequestToken && existing.versions.some((v) => v.id === params.ClientRequestToken)) {
        return { ARN: existing.arn, Name: existing.name, VersionId: params.ClientRequestToken };
      }
      throw new SimError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    }
    const now = world.now();
    const arn = world.arn('secretsmanager', `secret:${name}-${world.ids.alnum(6, false)}`);
    const version = { id: params.ClientRequestToken ?? world.ids.uuid(), value: params.SecretString, binary: params.SecretBinary, createdAt: now, stages: ['AWSCURRENT'] };
    const hasValue = params.SecretString !== undefined || params.SecretBinary !== undefined;
    world.secrets.set(arn, { arn, name, description: params.Description, versions: hasValue ? [version] : [], createdAt: now, lastChangedAt: now, tags: params.Tags ?? [], kmsKeyId: params.KmsKeyId });
    return { ARN: arn, Name: name, VersionId: hasValue ? version.id : undefined };
  },
  PutSecretValue({ world, params }) {
    const s = must(world, params.SecretId);
    notDeleted(s);
    const id = params.ClientRequestToken ?? world.ids.uuid();
    if (!s.versions.some((v) => v.id === id)) {
      for (const v of s.versions) {
        if (v.stages.includes('AWSPREVIOUS')) v.stages = v.stages.filter((x) => x !== 'AWSPREVIOUS');
        if (v.stages.includes('AWSCURRENT')) v.stages = [...v.stages.filter((x) => x !== 'AWSCURRENT'), 'AWSPREVIOUS'];
      }
      s.versions.push({ id, value: params.SecretString, binary: params.SecretBinary, createdAt: world.now(), stages: ['AWSCURRENT'] });
      s.lastChangedAt = world.now();
    }
    return { ARN: s.arn, Name: s.name, VersionId: id, VersionStages: ['AWSCURRENT'] };
  },
  DescribeSecret({ world, params }) {
    const s = must(world, params.SecretId);
    return {
      ARN: s.arn,
      Name: s.name,
      Description: s.description,
      KmsKeyId: s.kmsKeyId,
      CreatedDate: date(s.createdAt),
      LastChangedDate: date(s.lastChangedAt),
      DeletedDate: date(s.deletedAt),
      Tags: s.tags,
      VersionIdsToStages: Object.fromEntries(s.versions.filter((v) => v.stages.length).map((v) => [v.id, v.stages])),
    };
  },
  GetSecretValue({ world, params }) {
    const s = must(world, params.SecretId);
    notDeleted(s);
    const v = params.VersionId ? s.versions.find((x) => x.id === params.VersionId) : s.versions.find((x) => x.stages.includes(params.VersionStage ?? 'AWSCURRENT'));
    if (!v) throw new SimError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
    return { ARN: s.arn, Name: s.name, VersionId: v.id, SecretString: v.value, SecretBinary: v.binary, VersionStages: v.stages, CreatedDate: date(v.createdAt) };
  },
  DeleteSecret({ world, params }) {
    const s = must(world, params.SecretId);
    const now = world.now();
    if (params.ForceDeleteWithoutRecovery) {
      world.secrets.delete(s.arn);
      return { ARN: s.arn, Name: s.name, DeletionDate: date(now) };
    }
    const days = Number(params.RecoveryWindowInDays ?? 30);
    s.deletedAt = now;
    return { ARN: s.arn, Name: s.name, DeletionDate: date(now + days * 86_400_000) };
  },
  RestoreSecret({ world, params }) {
    const s = must(world, params.SecretId);
    s.deletedAt = undefined;
    return { ARN: s.arn, Name: s.name };
  },
  ListSecrets({ world, params }) {
    const filters: Array<{ Key: string; Values: string[] }> = params.Filters ?? [];
    const all = [...world.secrets.values()].filter(
      (s) =>
        (params.IncludePlannedDeletion || !s.deletedAt) &&
        filters.every((f) => {
          const vals = f.Values ?? [];
          if (f.Key === 'name') return vals.some((v) => s.name.startsWith(v));
          if (f.Key === 'tag-key') return vals.some((v) => s.tags.some((t) => t.Key === v));
          if (f.Key === 'tag-value') return vals.some((v) => s.tags.some((t) => t.Value === v));
          if (f.Key === 'description') return vals.some((v) => (s.description ?? '').includes(v));
          if (f.Key === 'all') return vals.some((v) => s.name.includes(v) || s.tags.some((t) => t.Key === v || t.Value === v));
          return true;
        }),
    );
    const { items, next } = page(all, params.NextToken, Number(params.MaxResults ?? 100));
    return {
      SecretList: items.map((s) => ({
        ARN: s.arn,
        Name: s.name,
        Description: s.description,
        CreatedDate: date(s.createdAt),
        LastChangedDate: date(s.lastChangedAt),
        DeletedDate: date(s.deletedAt),
        Tags: s.tags,
        SecretVersionsToStages: Object.fromEntries(s.versions.filter((v) => v.stages.length).map((v) => [v.id, v.stages])),
      })),
      NextToken: next,
    };
  },
};
void current;
