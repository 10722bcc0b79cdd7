/**
 * Services with `build:`: what `up` builds and where it pushes, and the template parameter that
 * carries the pushed image into the task definition. Pure, like the rest of the converter:
 * `convert` makes no registry call, so a built service's image is the parameter `<Svc>Image`
 * (no default), which `up` fills with the pushed image by digest (`repo@sha256:...`).
 *
 * Where the image goes (compose's rule: with both `build` and `image`, `image` names what is
 * pushed):
 * - no `image`: the ECR repository `<project>/<service>` of the account and region, tag `latest`;
 * - `image` without a registry host (`mealie:dev`, `team/api`): the ECR repository of that
 *   name in the account and region, with its tag (Docker Hub is never pushed to implicitly);
 * - `image` on an ECR host (`123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1`): that
 *   repository, which must be the account and region of the context;
 * - `image` on any other registry host (`ghcr.io/team/api:1`): pushed there with the user's own
 *   docker credentials, as `docker compose push` does.
 */
import type { BuildConfig, Project, ServiceConfig } from '../compose/model.js';
import { ref, type Parameter, type Value } from '../cloudformation/template.js';
import { normalizeResourceName } from './naming.js';

/** What compose builds for when the service names no platform; Fargate's default architecture. */
export const DEFAULT_BUILD_PLATFORM = 'linux/amd64';
const DEFAULT_TAG = 'latest';

export type ImageDestination =
  /** an ECR repository; `host` only when the file names one (else: the context's registry) */
  | { kind: 'ecr'; repository: string; tag: string; host?: string }
  /** another registry: `reference` is `host/path:tag` as written */
  | { kind: 'registry'; reference: string };

export interface ImageBuild {
  service: string;
  /** the template parameter `up` fills with the pushed image */
  parameter: string;
  build: BuildConfig;
  /** `platform` of the service, else linux/amd64 */
  platform: string;
  destination: ImageDestination;
}

/** `<Svc>Image`: the parameter of a built service's image. */
export const imageParameter = (service: string): string => `${normalizeResourceName(service)}Image`;

/**
 * ECR repository names: 2-256 characters, lower-case letters and digits, one `.`, `_` or `-`
 * between them, `/` between path parts (the pattern of repositoryName in
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html).
 */
export const ECR_REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

function repositoryPart(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `<project>/<service>`, made valid for ECR (`My_App` / `web__1` -> `my-app/web-1`). */
export function projectRepository(project: string, service: string): string {
  const p = repositoryPart(project) || 'project';
  const s = repositoryPart(service) || 'service';
  return `${p}/${s}`.slice(0, 256);
}

const ECR_HOST = /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** Splits `[host/]path[:tag][@digest]` as docker does: the first part is a host when it has `.` or `:`, or is `localhost`. */
export function parseImageReference(image: string): { host?: string; path: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let host: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      host = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { ...(host ? { host } : {}), path: rest, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

export function imageDestination(project: string, service: ServiceConfig): ImageDestination {
  if (!service.image) return { kind: 'ecr', repository: projectRepository(project, service.name), tag: DEFAULT_TAG };
  const r = parseImageReference(service.image);
  if (r.host && !ECR_HOST.test(r.host)) return { kind: 'registry', reference: `${r.host}/${r.path}:${r.tag ?? DEFAULT_TAG}` };
  return { kind: 'ecr', repository: r.path, tag: r.tag ?? DEFAULT_TAG, ...(r.host ? { host: r.host } : {}) };
}

/** Every service with `build:`, in name order. */
export function imageBuilds(project: Project): ImageBuild[] {
  return Object.keys(project.services)
    .sort()
    .flatMap((name) => {
      const service = project.services[name]!;
      if (!service.build) return [];
      return [
        {
          service: name,
          parameter: imageParameter(name),
          build: service.build,
          platform: (service.platform ?? DEFAULT_BUILD_PLATFORM).toLowerCase(),
          destination: imageDestination(project.name, service),
        },
      ];
    });
}

/** The image a container of the service runs: the pushed build (a parameter), else `image`. */
export function serviceImage(service: ServiceConfig): Value {
  return service.build ? ref(imageParameter(service.name)) : (service.image ?? '');
}

export function describeDestination(d: ImageDestination): string {
  return d.kind === 'registry' ? d.reference : `ECR repository ${d.repository}`;
}

/** The `<Svc>Image` parameters of the built services. */
export function imageParameters(project: Project): Record<string, Parameter> {
  return Object.fromEntries(
    imageBuilds(project).map((b) => [
      b.parameter,
      {
        Type: 'String',
        Description: `Image of service ${b.service}, built from its build context and pushed by up to ${describeDestination(b.destination)} (repository@sha256:digest)`,
      },
    ]),
  );
}
