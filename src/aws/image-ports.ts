/**
 * The ports an image declares (`EXPOSE`, `config.ExposedPorts` in its image config), read from its
 * registry at `up` over the OCI distribution API, anonymously: GET the manifest (an index picks the
 * linux manifest for the service's platform), then the config blob. A registry that answers 401
 * with a Bearer challenge gets an anonymous token first (Docker Hub, public.ecr.aws, ghcr.io, quay.io
 * all work so for public images). Private images, unreachable registries and time-outs give a
 * reason instead of ports; the converter then says which references that leaves without a short
 * name. Never sends a credential. (A built image's ports come from the local engine instead:
 * build-images.ts.)
 */
import type { ImagePortsLookup } from '../convert/environment.js';
import { byCodeUnit } from '../convert/code-unit-order.js';

export interface ImageReference {
  /** registry host as the client reaches it (`registry-1.docker.io` for Docker Hub) */
  registry: string;
  repository: string;
  /** tag or digest */
  reference: string;
}

const DOCKER_HUB = 'registry-1.docker.io';

/** Parses `postgres:16`, `bitnami/redis`, `ghcr.io/o/r@sha256:...`, `127.0.0.1:5000/x:1` as docker does. */
export function parseImageReference(image: string): ImageReference {
  let rest = image.trim();
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = hasRegistry ? first : DOCKER_HUB;
  let repository = hasRegistry ? rest.slice(slash + 1) : rest;
  const colon = repository.lastIndexOf(':');
  if (colon >= 0) {
    if (at < 0) reference = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
  }
  if (registry === 'docker.io' || registry === 'index.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository, reference };
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Registries docker itself talks to over plain HTTP: the loopback ones. */
function baseUrl(registry: string): string {
  const host = registry.replace(/:\d+$/, '');
  const plain = host === 'localhost' || host === '[::1]' || /^127\./.test(host);
  return `${plain ? 'http' : 'https'}://${registry}`;
}

class LookupError extends Error {}

type Fetch = typeof fetch;

/** GET with an anonymous Bearer token when the registry asks for one. */
async function registryGet(fetchImpl: Fetch, url: string, accept: string, signal: AbortSignal, token: { value?: string }): Promise<Response> {
  const get = () => fetchImpl(url, { headers: { Accept: accept, ...(token.value ? { Authorization: `Bearer ${token.value}` } : {}) }, signal, redirect: 'follow' });
  let res = await get();
  if (res.status === 401 && !token.value) {
    const challenge = res.headers.get('www-authenticate') ?? '';
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]));
    if (!/^bearer\s/i.test(challenge) || !params.realm) throw new LookupError('the registry needs credentials');
    const tokenUrl = new URL(params.realm);
    if (params.service) tokenUrl.searchParams.set('service', params.service);
    if (params.scope) tokenUrl.searchParams.set('scope', params.scope);
    const tokenRes = await fetchImpl(tokenUrl, { signal });
    if (!tokenRes.ok) throw new LookupError(`the registry refused an anonymous token (${tokenRes.status})`);
    const body = (await tokenRes.json()) as { token?: string; access_token?: string };
    token.value = body.token ?? body.access_token;
    if (!token.value) throw new LookupError('the registry gave no anonymous token');
    res = await get();
  }
  if (res.status === 401 || res.status === 403) throw new LookupError('the image is private (the registry needs credentials)');
  if (res.status === 404) throw new LookupError('the registry does not have it');
  if (!res.ok) throw new LookupError(`the registry answered ${res.status}`);
  return res;
}

interface Platform {
  os?: string;
  architecture?: string;
  variant?: string;
}

/** `linux/arm64` -> { os: linux, architecture: arm64 }; amd64 by default, as Fargate. */
function wantedPlatform(platform?: string): Platform {
  const [os = 'linux', architecture = 'amd64', variant] = (platform ?? 'linux/amd64').toLowerCase().split('/');
  return { os, architecture: architecture === 'x86_64' ? 'amd64' : architecture, ...(variant ? { variant } : {}) };
}

/** The keys of an image config's `ExposedPorts` (`8080/tcp`, `53/udp`, `9000`) as ports, in order; others (sctp, ranges) left out. */
export function portsOfExposed(keys: readonly string[]): { port: number; protocol: 'tcp' | 'udp' }[] {
  return keys
    .map((k) => /^(\d+)(?:\/(tcp|udp))?$/i.exec(k))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) > 0 && Number(m[1]) <= 65535)
    .map((m) => ({ port: Number(m[1]), protocol: (m[2]?.toLowerCase() ?? 'tcp') as 'tcp' | 'udp' }))
    .sort((a, b) => a.port - b.port || byCodeUnit(a.protocol, b.protocol));
}

export async function readImagePortsOf(image: string, options: { fetch?: Fetch; platform?: string; signal: AbortSignal }): Promise<ImagePortsLookup> {
  const fetchImpl = options.fetch ?? fetch;
  const ref = parseImageReference(image);
  const base = `${baseUrl(ref.registry)}/v2/${ref.repository}`;
  const token: { value?: string } = {};
  try {
    let manifest = (await (await registryGet(fetchImpl, `${base}/manifests/${ref.reference}`, MANIFEST_TYPES, options.signal, token)).json()) as {
      manifests?: { digest: string; platform?: Platform }[];
      config?: { digest: string };
    };
    if (manifest.manifests) {
      const want = wantedPlatform(options.platform);
      const pick =
        manifest.manifests.find((m) => m.platform?.os === want.os && m.platform?.architecture === want.architecture && (!want.variant || m.platform?.variant === want.variant)) ??
        manifest.manifests.find((m) => m.platform?.os === want.os && m.platform?.architecture === want.architecture);
      if (!pick) throw new LookupError(`it has no ${want.os}/${want.architecture} image`);
      manifest = (await (await registryGet(fetchImpl, `${base}/manifests/${pick.digest}`, MANIFEST_TYPES, options.signal, token)).json()) as typeof manifest;
    }
    if (!manifest.config?.digest) throw new LookupError('its manifest names no image config');
    const config = (await (await registryGet(fetchImpl, `${base}/blobs/${manifest.config.digest}`, '*/*', options.signal, token)).json()) as {
      config?: { ExposedPorts?: Record<string, unknown> };
    };
    return { ports: portsOfExposed(Object.keys(config.config?.ExposedPorts ?? {})) };
  } catch (e) {
    if (e instanceof LookupError) return { error: `${ref.registry}: ${e.message}` };
    if (options.signal.aborted) return { error: `${ref.registry} did not answer in time` };
    const code = (e as { cause?: { code?: string } }).cause?.code;
    return { error: `${ref.registry} could not be reached${code ? ` (${code})` : ''}` };
  }
}

/**
 * Every distinct image of the project, looked up in parallel within `timeoutMs` overall. Keyed by
 * the image reference as the service writes it, as the converter expects.
 */
export async function readImagePorts(
  images: readonly { image: string; platform?: string }[],
  options: { fetch?: Fetch; timeoutMs?: number } = {},
): Promise<Record<string, ImagePortsLookup>> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const distinct = new Map(images.map((i) => [i.image, i.platform]));
  const entries = await Promise.all(
    [...distinct.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(async ([image, platform]) => [image, await readImagePortsOf(image, { ...(options.fetch ? { fetch: options.fetch } : {}), ...(platform ? { platform } : {}), signal })] as const),
  );
  return Object.fromEntries(entries);
}
