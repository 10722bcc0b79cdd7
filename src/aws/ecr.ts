/**
 * The ECR calls of built services: the project's repositories (created when missing, tagged with
 * the project, a lifecycle rule that keeps the last images), the registry login, and whether a
 * digest is already pushed. Rules from the ECR API reference:
 * CreateRepository (name pattern, tags, scanning, tag mutability), PutLifecyclePolicy and the
 * lifecycle policy syntax (https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html),
 * GetAuthorizationToken (a base64 `AWS:<password>` valid 12 hours, and the registry's
 * `proxyEndpoint`), DescribeImages (ImageNotFoundException for an unknown digest or tag),
 * BatchGetImage (manifests, `acceptedMediaTypes`; not-found ids as `failures`) and
 * GetDownloadUrlForLayer (a presigned URL of one blob, the image config too).
 */
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  GetDownloadUrlForLayerCommand,
  PutLifecyclePolicyCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { TAG_PROJECT } from '../convert/naming.js';
import { MANIFEST_MEDIA_TYPES, platformManifest, type Platform } from './image-ports.js';

/** How many images a repository we create keeps; older ones expire (deployments use digests). */
export const KEEP_IMAGES = 10;

export interface Repository {
  name: string;
  /** `<registry host>/<name>` */
  uri: string;
  created: boolean;
}

/** A login for one registry. `auth` is the base64 `user:password` docker keeps in `auths`: a credential, never printed. */
export interface RegistryLogin {
  host: string;
  auth: string;
}

const errorName = (e: unknown): string => (e as { name?: string })?.name ?? '';

export function lifecyclePolicy(keep: number = KEEP_IMAGES): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `docker-ecs: keep the last ${keep} images; deployments refer to them by digest`,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keep },
        action: { type: 'expire' },
      },
    ],
  });
}

async function describeRepository(ecr: ECRClient, name: string): Promise<{ name: string; uri: string } | undefined> {
  try {
    const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    const repo = out.repositories?.[0];
    return repo?.repositoryUri ? { name, uri: repo.repositoryUri } : undefined;
  } catch (e) {
    if (errorName(e) === 'RepositoryNotFoundException') return undefined;
    throw e;
  }
}

/** The repository, created (tagged with the project, scanned on push, with the lifecycle rule) when missing. */
export async function ensureRepository(ecr: ECRClient, name: string, project: string): Promise<Repository> {
  const found = await describeRepository(ecr, name);
  if (found) return { ...found, created: false };
  try {
    const out = await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: name,
        tags: [{ Key: TAG_PROJECT, Value: project }],
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: 'MUTABLE',
      }),
    );
    await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: name, lifecyclePolicyText: lifecyclePolicy() }));
    return { name, uri: out.repository!.repositoryUri!, created: true };
  } catch (e) {
    // another `up` created it meanwhile
    if (errorName(e) !== 'RepositoryAlreadyExistsException') throw e;
    const again = await describeRepository(ecr, name);
    if (!again) throw e;
    return { ...again, created: false };
  }
}

/** The repository's URI without creating it (a dry run): `<registry host>/<name>`. */
export async function repositoryUri(ecr: ECRClient, name: string, host: string): Promise<string> {
  return (await describeRepository(ecr, name))?.uri ?? `${host}/${name}`;
}

export async function registryLogin(ecr: ECRClient): Promise<RegistryLogin> {
  const out = await ecr.send(new GetAuthorizationTokenCommand({}));
  const data = out.authorizationData?.[0];
  if (!data?.authorizationToken || !data.proxyEndpoint) throw new Error('ECR GetAuthorizationToken returned no authorization data.');
  return { host: new URL(data.proxyEndpoint).host, auth: data.authorizationToken };
}

/** The image the repository holds under `tag` or `digest`, with its tags, if any. */
export async function pushedImage(ecr: ECRClient, repository: string, id: { tag: string } | { digest: string }): Promise<{ digest: string; tags: string[] } | undefined> {
  try {
    const out = await ecr.send(
      new DescribeImagesCommand({ repositoryName: repository, imageIds: ['tag' in id ? { imageTag: id.tag } : { imageDigest: id.digest }] }),
    );
    const found = out.imageDetails?.[0];
    return found?.imageDigest ? { digest: found.imageDigest, tags: found.imageTags ?? [] } : undefined;
  } catch (e) {
    if (errorName(e) === 'ImageNotFoundException' || errorName(e) === 'RepositoryNotFoundException') return undefined;
    throw e;
  }
}

interface Manifest {
  manifests?: { digest: string; platform?: Platform }[];
  config?: { digest: string };
}

async function manifestOf(ecr: ECRClient, repository: string, digest: string): Promise<Manifest> {
  const out = await ecr.send(new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageDigest: digest }], acceptedMediaTypes: MANIFEST_MEDIA_TYPES }));
  const body = out.images?.[0]?.imageManifest;
  if (!body) throw new Error(`ECR has no image ${repository}@${digest}`);
  return JSON.parse(body) as Manifest;
}

/**
 * The `Config.ExposedPorts` keys of a pushed image, through the ECR API with the credentials every
 * other call uses: its manifest (BatchGetImage; an index gives the platform's), then its config
 * blob from the presigned URL GetDownloadUrlForLayer gives, which is fetched with no credential.
 * No layer is read. Rejects with a sentence when any step fails.
 */
export async function pushedImageExposedPorts(ecr: ECRClient, repository: string, digest: string, options: { platform: string; signal: AbortSignal; fetch?: typeof fetch }): Promise<string[]> {
  let manifest = await manifestOf(ecr, repository, digest);
  if (manifest.manifests) {
    const pick = platformManifest(manifest.manifests, options.platform);
    if ('missing' in pick) throw new Error(pick.missing);
    manifest = await manifestOf(ecr, repository, pick.digest);
  }
  if (!manifest.config?.digest) throw new Error('its manifest names no image config');
  const { downloadUrl } = await ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: repository, layerDigest: manifest.config.digest }));
  if (!downloadUrl) throw new Error('ECR gave no URL for its image config');
  const res = await (options.fetch ?? fetch)(downloadUrl, { signal: options.signal });
  if (!res.ok) throw new Error(`its image config could not be downloaded (${res.status})`);
  const config = (await res.json()) as { config?: { ExposedPorts?: Record<string, unknown> } };
  return Object.keys(config.config?.ExposedPorts ?? {});
}
