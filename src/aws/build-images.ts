/**
 * Build and push the images of services with `build:` (image-builds.ts says where each goes),
 * and answer the `<Svc>Image` parameters with the pushed images by digest (`repo@sha256:...`),
 * so a task definition changes exactly when an image does.
 *
 *   login (GetAuthorizationToken, into a temporary docker config) -> per service: repository
 *   (created when missing) -> build with the user's engine -> already pushed? (the local image's
 *   digest for that repository, confirmed by DescribeImages) -> push when not -> digest
 *
 * A build that changed nothing gives the same image, whose digest ECR already holds: nothing is
 * pushed. `--build` pushes anyway (the tag then points at this build again); `--no-build`
 * builds nothing and deploys what the tag points at, or says that nothing is pushed yet.
 * The engine (docker/image-engine.ts) is handed in: `aws/` does not spawn docker itself.
 */
import type { ECRClient } from '@aws-sdk/client-ecr';
import { UserError } from '../errors.js';
import { describeDestination, type ImageBuild } from '../convert/image-builds.js';
import type { AwsClients } from './clients.js';
import type { DeployEventBody } from './events.js';
import { ensureRepository, pushedImage, registryLogin, repositoryUri, type RegistryLogin } from './ecr.js';
import type { ImagePortsLookup } from '../convert/environment.js';
import { portsOfExposed } from './image-ports.js';

/** What runs docker for us: implemented in docker/image-engine.ts, handed in by cli/. */
export interface ImageEngine {
  /** e.g. `the engine of docker context "default"` */
  readonly description: string;
  /** Gives later pushes to `login.host` this login (never the user's docker config). */
  login(login: RegistryLogin): Promise<void>;
  /** Builds and tags `reference`; rejects with a BuildFailed. */
  build(build: ImageBuild, reference: string, signal: AbortSignal): Promise<void>;
  /** `repo@sha256:...` names the local image has (docker records them on push and pull). */
  repoDigests(reference: string): Promise<string[]>;
  /** The keys of the local image's `Config.ExposedPorts` (`8080/tcp`); undefined when the engine has no such image. */
  exposedPorts(reference: string): Promise<string[] | undefined>;
  /** Pushes `reference`; resolves to the pushed manifest digest. `withLogin`: the ECR login, else the user's own credentials. */
  push(reference: string, withLogin: boolean, signal: AbortSignal): Promise<string>;
  /** Removes the temporary docker config. */
  dispose(): Promise<void>;
  /** Hands each line of builder and push output, with the service (or reference) it is for, to `onLine`. */
  follow?(onLine: (service: string, line: string) => void): void;
}

export interface ImagesRequest {
  project: string;
  builds: readonly ImageBuild[];
  engine: ImageEngine;
  /** `changed` (default): push what ECR lacks; `always`: `--build`; `never`: `--no-build` */
  policy?: 'changed' | 'always' | 'never';
  /** `docker ecs compose build` only builds, `push` only pushes; up does both */
  steps?: { build: boolean; push: boolean };
}

export interface ImagesContext {
  clients: AwsClients;
  signal: AbortSignal;
  emit: (body: DeployEventBody) => void;
}

/** One service's image, as deployed. */
export interface PreparedImage {
  service: string;
  parameter: string;
  /** `repo@sha256:...`, or `repo:tag` in a dry run */
  image: string;
  pushed: boolean;
  /** what `up` deploys: the ports that image declares (EXPOSE), or why they are not known */
  ports?: ImagePortsLookup;
}

interface Target {
  /** `host/repo:tag` */
  reference: string;
  /** `host/repo` */
  repository: string;
  tag: string;
  /** the ECR repository name, for ECR destinations */
  ecrName?: string;
}

const info = (ctx: ImagesContext, message: string): void => ctx.emit({ kind: 'notice', level: 'info', message });

function withoutTag(reference: string): { repository: string; tag: string } {
  const colon = reference.lastIndexOf(':');
  return colon > reference.lastIndexOf('/') ? { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) } : { repository: reference, tag: 'latest' };
}

class Registry {
  private login?: Promise<RegistryLogin>;
  constructor(
    private readonly ecr: Promise<ECRClient>,
    private readonly engine: ImageEngine,
  ) {}

  host(): Promise<string> {
    this.login ??= this.ecr.then(registryLogin).then(async (l) => {
      await this.engine.login(l);
      return l;
    });
    return this.login.then((l) => l.host);
  }
}

async function targetOf(b: ImageBuild, project: string, ecr: () => Promise<ECRClient>, registry: Registry, create: boolean): Promise<Target> {
  const d = b.destination;
  if (d.kind === 'registry') return { reference: d.reference, ...withoutTag(d.reference) };
  const host = await registry.host();
  if (d.host && d.host !== host) {
    throw new UserError(`Service ${b.service}: image names the ECR registry ${d.host}, but the context's account and region push to ${host}.`, {
      where: { path: `services.${b.service}.image` },
      hint: `Use the repository name alone (image: ${d.repository}:${d.tag}), or a context of that account and region.`,
    });
  }
  const client = await ecr();
  const uri = create ? (await ensureRepository(client, d.repository, project)).uri : await repositoryUri(client, d.repository, host);
  return { reference: `${uri}:${d.tag}`, repository: uri, tag: d.tag, ecrName: d.repository };
}

/**
 * The digest the repository already holds for what was just built, under the tag we push: then
 * a push would change nothing. (Held under another tag only, it is pushed again: cheap, its
 * layers are there, and the tag then names this build, as `docker compose push` leaves it.)
 */
async function alreadyPushed(engine: ImageEngine, ecr: () => Promise<ECRClient>, t: Target): Promise<string | undefined> {
  if (!t.ecrName) return undefined;
  const candidates = (await engine.repoDigests(t.reference)).filter((r) => r.startsWith(`${t.repository}@`)).map((r) => r.slice(t.repository.length + 1));
  for (const digest of candidates) {
    if ((await pushedImage(await ecr(), t.ecrName, { digest }))?.tags.includes(t.tag)) return digest;
  }
  return undefined;
}

/** The ports of the image just built (the engine has it under `reference`). */
async function builtPorts(engine: ImageEngine, reference: string): Promise<ImagePortsLookup> {
  const keys = await engine.exposedPorts(reference);
  return keys ? { ports: portsOfExposed(keys) } : { error: `${engine.description} has no image ${reference} after building it` };
}

/**
 * The ports of the pushed image `--no-build` deploys, by digest, from the engine: it has that
 * image when it built, pushed or pulled it (another registry's digest is found there in the
 * first place). ECR gives an image's config only with credentials, and the login goes nowhere
 * but docker push; nor are the layers pulled to read it.
 */
async function pushedPorts(engine: ImageEngine, image: string): Promise<ImagePortsLookup> {
  const keys = await engine.exposedPorts(image);
  return keys ? { ports: portsOfExposed(keys) } : { error: `--no-build, and ${engine.description} does not have ${image}` };
}

function context(b: ImageBuild): string {
  return b.build.context;
}

/**
 * Builds and pushes every image; returns the parameter values (`<Svc>Image` -> image by digest).
 * In a dry run nothing is built, created or pushed: it says what would be, and answers tags.
 */
export async function prepareImages(ctx: ImagesContext, req: ImagesRequest, dryRun = false): Promise<PreparedImage[]> {
  if (req.builds.length === 0) return [];
  const ecr = () => ctx.clients.ecr();
  const registry = new Registry(ecr(), req.engine);
  const policy = req.policy ?? 'changed';
  const steps = req.steps ?? { build: true, push: true };
  // only up deploys what it prepares, and its converter wants the ports of each image
  const deploys = steps.build && steps.push;
  // the builder's own lines go to the progress view and plain mode as the service's log lines
  const building = new Set(req.builds.map((b) => b.service));
  req.engine.follow?.((service, message) => {
    if (building.has(service)) ctx.emit({ kind: 'log', service, taskId: 'build', message, timestamp: new Date().toISOString() });
  });
  const out: PreparedImage[] = [];
  for (const b of req.builds) {
    if (ctx.signal.aborted) break;
    const t = await targetOf(b, req.project, ecr, registry, !dryRun && policy !== 'never' && steps.push);
    if (dryRun) {
      info(ctx, policy === 'never' ? `Service ${b.service}: up would deploy ${t.reference} as pushed (--no-build).` : `Service ${b.service}: up would build ${context(b)} for ${b.platform} with ${req.engine.description} and push it to ${describeDestination(b.destination)} (${t.reference}), unless that image is already there.`);
      out.push({ service: b.service, parameter: b.parameter, image: t.reference, pushed: false, ports: { error: 'a dry run builds and reads no image' } });
      continue;
    }
    if (policy === 'never') {
      const digest = t.ecrName ? (await pushedImage(await ecr(), t.ecrName, { tag: t.tag }))?.digest : (await req.engine.repoDigests(t.reference)).find((r) => r.startsWith(`${t.repository}@`))?.slice(t.repository.length + 1);
      if (!digest) {
        throw new UserError(`Service ${b.service}: --no-build deploys the pushed image, but ${t.reference} has not been pushed.`, {
          hint: 'Run up without --no-build (it builds and pushes), or docker ecs compose build and push first.',
        });
      }
      info(ctx, `Service ${b.service}: deploying ${t.repository}@${digest} as pushed (--no-build).`);
      const image = `${t.repository}@${digest}`;
      out.push({ service: b.service, parameter: b.parameter, image, pushed: false, ports: await pushedPorts(req.engine, image) });
      continue;
    }
    if (steps.build) {
      info(ctx, `Service ${b.service}: building ${context(b)} for ${b.platform} with ${req.engine.description}.`);
      await req.engine.build(b, t.reference, ctx.signal);
    }
    const ports = deploys ? { ports: await builtPorts(req.engine, t.reference) } : {};
    if (!steps.push) {
      info(ctx, `Service ${b.service}: built ${t.reference}.`);
      out.push({ service: b.service, parameter: b.parameter, image: t.reference, pushed: false });
      continue;
    }
    const existing = policy === 'changed' ? await alreadyPushed(req.engine, ecr, t) : undefined;
    if (existing) {
      info(ctx, `Service ${b.service}: unchanged, ${t.repository}@${existing} is already pushed.`);
      out.push({ service: b.service, parameter: b.parameter, image: `${t.repository}@${existing}`, pushed: false, ...ports });
      continue;
    }
    const digest = await req.engine.push(t.reference, t.ecrName !== undefined, ctx.signal);
    info(ctx, `Service ${b.service}: pushed ${t.repository}@${digest}.`);
    out.push({ service: b.service, parameter: b.parameter, image: `${t.repository}@${digest}`, pushed: true, ...ports });
  }
  return out;
}

/** The ports of each prepared image, keyed by its `<Svc>Image` parameter as the converter looks them up (convert/context.ts imagePortsKey). */
export function preparedImagePorts(images: readonly PreparedImage[]): Record<string, ImagePortsLookup> {
  return Object.fromEntries(images.flatMap((i) => (i.ports ? [[i.parameter, i.ports]] : [])));
}

/** The `<Svc>Image` parameter values. */
export function imageParameterValues(images: readonly PreparedImage[]): Record<string, string> {
  return Object.fromEntries(images.map((i) => [i.parameter, i.image]));
}
