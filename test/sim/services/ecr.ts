/**
 * Amazon ECR (JSON 1.1, target AmazonEC2ContainerRegistry_V20150921). Repositories live in the
 * world; images live in a real registry when the scenario names one (`registryUrl`): the
 * authorization token's proxyEndpoint and every repository URI point at it, so the real docker
 * client pushes there, and DescribeImages / BatchGetImage read its manifests
 * (GetDownloadUrlForLayer gives its blob URLs).
 *
 * What AWS refuses, from the ECR API reference: repository names (CreateRepository:
 * `(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*`, 2-256 characters), tag
 * keys and values (TagResource: 1-128 / 0-256 characters, at most 50 tags), image tag mutability
 * (MUTABLE, IMMUTABLE, ...), lifecycle policy text (PutLifecyclePolicy: 100-30720 characters,
 * and the rule syntax of https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html),
 * image ids (DescribeImages: a digest `sha256:` + 64 hex, or a tag of at most 300 characters).
 */
import { SimError } from '../errors.js';
import type { EcrRepository, World } from '../world.js';
import { date, type Handler } from './types.js';

const NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const MUTABILITY = ['MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION'];
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

function invalid(message: string): SimError {
  return new SimError('InvalidParameterException', message);
}

function checkName(name: unknown): string {
  const n = String(name ?? '');
  if (n.length < 2 || n.length > 256 || !NAME.test(n)) {
    throw invalid(
      `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*' and length between 2 and 256'`,
    );
  }
  return n;
}

function checkTags(tags: unknown): Array<{ Key: string; Value: string }> {
  const list = (Array.isArray(tags) ? tags : []) as Array<{ Key?: string; Value?: string }>;
  if (list.length > 50) throw invalid('Invalid parameter: a resource can have at most 50 tags.');
  return list.map((t) => {
    const key = String(t.Key ?? '');
    const value = String(t.Value ?? '');
    if (key.length < 1 || key.length > 128 || value.length > 256 || key.startsWith('aws:')) throw invalid(`Invalid parameter at 'tags' failed to satisfy constraint: tag key '${key}'`);
    return { Key: key, Value: value };
  });
}

function repositoryNotFound(world: World, name: string): SimError {
  return new SimError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${world.account}'`);
}

function must(world: World, name: unknown): EcrRepository {
  const n = checkName(name);
  const repo = world.repositories.get(n);
  if (!repo) throw repositoryNotFound(world, n);
  return repo;
}

/** The registry host docker pushes to: the scenario's real registry, else ECR's host name. */
function registryHost(world: World): string {
  const url = world.scenario.registryUrl;
  return url ? new URL(url).host : `${world.account}.dkr.ecr.${world.region}.amazonaws.com`;
}

function view(world: World, r: EcrRepository) {
  return {
    repositoryArn: r.arn,
    registryId: world.account,
    repositoryName: r.name,
    repositoryUri: `${registryHost(world)}/${r.name}`,
    createdAt: date(r.createdAt),
    imageTagMutability: r.imageTagMutability,
    imageScanningConfiguration: { scanOnPush: r.scanOnPush },
    encryptionConfiguration: { encryptionType: 'AES256' },
  };
}

/** Lifecycle policy syntax: rules with a unique rulePriority, a selection and the action `expire`. */
function checkLifecyclePolicy(text: unknown): string {
  const t = String(text ?? '');
  const fail = (why: string): SimError => invalid(`Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ${why}'`);
  if (t.length < 100 || t.length > 30720) throw invalid(`Invalid parameter at 'lifecyclePolicyText' failed to satisfy constraint: 'Member must have length between 100 and 30720'`);
  let policy: any;
  try {
    policy = JSON.parse(t);
  } catch {
    throw fail('the policy is not valid JSON');
  }
  const rules = policy?.rules;
  if (!Array.isArray(rules) || rules.length === 0) throw fail('object has missing required properties (["rules"])');
  const priorities = new Set<number>();
  for (const r of rules) {
    if (!Number.isInteger(r?.rulePriority) || r.rulePriority < 1) throw fail('rulePriority must be a positive integer');
    if (priorities.has(r.rulePriority)) throw fail('rulePriority must be unique');
    priorities.add(r.rulePriority);
    const s = r.selection ?? {};
    if (!['tagged', 'untagged', 'any'].includes(s.tagStatus)) throw fail(`instance value (${JSON.stringify(s.tagStatus)}) not found in enum (possible values: ["tagged","untagged","any"])`);
    if (!['imageCountMoreThan', 'sinceImagePushed'].includes(s.countType)) throw fail(`instance value (${JSON.stringify(s.countType)}) not found in enum (possible values: ["imageCountMoreThan","sinceImagePushed"])`);
    if (!Number.isInteger(s.countNumber) || s.countNumber < 1) throw fail('countNumber must be an integer of at least 1');
    if (s.countType === 'sinceImagePushed' && s.countUnit !== 'days') throw fail('countUnit must be "days" with sinceImagePushed');
    if (s.tagStatus === 'tagged' && !s.tagPrefixList && !s.tagPatternList) throw fail('tagPrefixList or tagPatternList is required when tagStatus is "tagged"');
    if (r.action?.type !== 'expire') throw fail(`instance value (${JSON.stringify(r.action?.type)}) not found in enum (possible values: ["expire"])`);
  }
  return t;
}

type ImageId = { imageDigest?: string; imageTag?: string };

function checkImageIds(ids: unknown): ImageId[] {
  const list = (Array.isArray(ids) ? ids : []) as ImageId[];
  if (list.length > 100) throw invalid(`Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must have length less than or equal to 100'`);
  for (const id of list) {
    if (id.imageDigest !== undefined && !DIGEST.test(id.imageDigest)) throw invalid(`Invalid parameter at 'imageDigest' failed to satisfy constraint: 'Invalid digest'`);
    if (id.imageTag !== undefined && (id.imageTag.length < 1 || id.imageTag.length > 300)) throw invalid(`Invalid parameter at 'imageTag' failed to satisfy constraint: 'Member must have length between 1 and 300'`);
    if (id.imageDigest === undefined && id.imageTag === undefined) throw invalid('Invalid parameter: an image id needs imageDigest or imageTag');
  }
  return list;
}

interface Manifest {
  digest: string;
  mediaType: string;
  body: string;
  size: number;
}

async function manifest(world: World, repo: string, ref: string): Promise<Manifest | undefined> {
  const base = world.scenario.registryUrl;
  if (!base) return undefined;
  const res = await fetch(`${base}/v2/${repo}/manifests/${ref}`, { headers: { accept: MANIFEST_TYPES } });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new SimError('ServerException', `registry answered ${res.status}`, 500);
  const body = await res.text();
  return { digest: res.headers.get('docker-content-digest') ?? '', mediaType: res.headers.get('content-type') ?? '', body, size: Buffer.byteLength(body) };
}

async function tagsOf(world: World, repo: string): Promise<string[]> {
  const base = world.scenario.registryUrl;
  if (!base) return [];
  const res = await fetch(`${base}/v2/${repo}/tags/list`);
  if (!res.ok) return [];
  return (((await res.json()) as { tags?: string[] | null }).tags ?? []).sort();
}

function notFound(world: World, repo: string, id: ImageId): SimError {
  return new SimError(
    'ImageNotFoundException',
    `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repo}' in the registry with id '${world.account}'`,
  );
}

export const ecr: Record<string, Handler> = {
  CreateRepository({ world, params }) {
    const name = checkName(params.repositoryName);
    const tags = checkTags(params.tags);
    const mutability = String(params.imageTagMutability ?? 'MUTABLE');
    if (!MUTABILITY.includes(mutability)) throw invalid(`Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [${MUTABILITY.join(', ')}]'`);
    if (world.repositories.has(name)) {
      throw new SimError('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${world.account}'`);
    }
    const repo: EcrRepository = {
      name,
      arn: world.arn('ecr', `repository/${name}`),
      createdAt: world.now(),
      tags,
      imageTagMutability: mutability,
      scanOnPush: params.imageScanningConfiguration?.scanOnPush === true,
    };
    world.repositories.set(name, repo);
    return { repository: view(world, repo) };
  },
  DescribeRepositories({ world, params }) {
    const names = (params.repositoryNames ?? undefined) as string[] | undefined;
    if (names) return { repositories: names.map((n) => view(world, must(world, n))) };
    return { repositories: [...world.repositories.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((r) => view(world, r)) };
  },
  PutLifecyclePolicy({ world, params }) {
    const repo = must(world, params.repositoryName);
    repo.lifecyclePolicyText = checkLifecyclePolicy(params.lifecyclePolicyText);
    return { registryId: world.account, repositoryName: repo.name, lifecyclePolicyText: repo.lifecyclePolicyText };
  },
  TagResource({ world, params }) {
    const arn = String(params.resourceArn ?? '');
    const repo = [...world.repositories.values()].find((r) => r.arn === arn);
    if (!repo) throw invalid(`Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'`);
    const added = checkTags(params.tags);
    const merged = new Map(repo.tags.map((t) => [t.Key, t.Value]));
    for (const t of added) merged.set(t.Key, t.Value);
    if (merged.size > 50) throw invalid('Invalid parameter: a resource can have at most 50 tags.');
    repo.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
    return {};
  },
  GetAuthorizationToken({ world }) {
    // a password AWS would give for 12 hours; the real registry of a test does not check it
    const password = world.ids.alnum(64, false);
    return {
      authorizationData: [
        {
          authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'),
          expiresAt: date(world.now() + 12 * 3600_000),
          proxyEndpoint: world.scenario.registryUrl ?? `https://${registryHost(world)}`,
        },
      ],
    };
  },
  async DescribeImages({ world, params }) {
    const repo = must(world, params.repositoryName);
    const ids: ImageId[] = params.imageIds ? checkImageIds(params.imageIds) : (await tagsOf(world, repo.name)).map((imageTag) => ({ imageTag }));
    const details = [];
    for (const id of ids) {
      const m = await manifest(world, repo.name, id.imageDigest ?? id.imageTag!);
      if (!m) {
        if (params.imageIds) throw notFound(world, repo.name, id);
        continue;
      }
      // every tag that names this manifest, as ECR lists them
      const tags = [];
      for (const tag of await tagsOf(world, repo.name)) if ((await manifest(world, repo.name, tag))?.digest === m.digest) tags.push(tag);
      details.push({
        registryId: world.account,
        repositoryName: repo.name,
        imageDigest: m.digest,
        imageTags: tags.length > 0 ? tags : undefined,
        imageSizeInBytes: m.size,
        imageManifestMediaType: m.mediaType,
        imagePushedAt: date(world.now()),
      });
    }
    return { imageDetails: details };
  },
  async BatchGetImage({ world, params }) {
    const repo = must(world, params.repositoryName);
    const ids = checkImageIds(params.imageIds);
    const images = [];
    const failures = [];
    for (const id of ids) {
      const m = await manifest(world, repo.name, id.imageDigest ?? id.imageTag!);
      if (!m) failures.push({ imageId: id, failureCode: id.imageTag ? 'ImageTagDoesNotMatchDigest' : 'ImageNotFound', failureReason: 'Requested image not found' });
      else images.push({ registryId: world.account, repositoryName: repo.name, imageId: { imageDigest: m.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) }, imageManifest: m.body, imageManifestMediaType: m.mediaType });
    }
    return { images, failures };
  },
  async GetDownloadUrlForLayer({ world, params }) {
    const repo = must(world, params.repositoryName);
    const digest = String(params.layerDigest ?? '');
    if (!/^[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+$/.test(digest)) throw invalid(`Invalid parameter at 'layerDigest' failed to satisfy constraint: 'Member must satisfy regular expression pattern: [a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'`);
    // AWS answers a presigned S3 URL; here the blob URL of the real registry, which checks no token
    const base = world.scenario.registryUrl;
    const url = `${base}/v2/${repo.name}/blobs/${digest}`;
    if (!base || (await fetch(url, { method: 'HEAD' })).status !== 200) {
      throw new SimError('LayersNotFoundException', `The image layer '${digest}' does not exist in the repository with name '${repo.name}' in the registry with id '${world.account}'`);
    }
    return { downloadUrl: url, layerDigest: digest };
  },
};
