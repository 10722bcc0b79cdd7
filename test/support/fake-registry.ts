/**
 * A small OCI registry on 127.0.0.1 for tests: serves an index, per-platform manifests and image
 * configs with the ExposedPorts given, behind an anonymous Bearer token challenge as Docker Hub
 * does. Records the paths it was asked for. `spawnFakeRegistry` runs it in a child process, for
 * tests that run the plugin synchronously (the test's own event loop is blocked meanwhile).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeImage {
  /** `repo:tag` */
  name: string;
  /** platform -> exposed ports (`"5432/tcp"`) */
  platforms: Record<string, string[]>;
}

export interface FakeRegistry {
  host: string;
  requests: string[];
  stop(): Promise<void>;
}

const digest = (body: string) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

export async function startFakeRegistry(images: readonly FakeImage[], options: { private?: string[] } = {}): Promise<FakeRegistry> {
  const blobs = new Map<string, { type: string; body: string }>();
  const tags = new Map<string, string>();
  for (const image of images) {
    const [repo, tag = 'latest'] = image.name.split(':');
    const manifests = Object.entries(image.platforms).map(([platform, ports]) => {
      const [os, architecture] = platform.split('/');
      const config = JSON.stringify({ architecture, os, config: { ExposedPorts: Object.fromEntries(ports.map((p) => [p, {}])) } });
      blobs.set(`${repo}@${digest(config)}`, { type: 'application/vnd.oci.image.config.v1+json', body: config });
      const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { digest: digest(config), size: config.length }, layers: [] });
      blobs.set(`${repo}@${digest(manifest)}`, { type: 'application/vnd.oci.image.manifest.v1+json', body: manifest });
      return { digest: digest(manifest), platform: { os, architecture } };
    });
    const index = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests });
    blobs.set(`${repo}@${digest(index)}`, { type: 'application/vnd.oci.image.index.v1+json', body: index });
    tags.set(`${repo}:${tag}`, digest(index));
  }
  const requests: string[] = [];
  let server: Server;
  const host = await new Promise<string>((resolve) => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push(url.pathname);
      const here = `http://${req.headers.host}`;
      if (url.pathname === '/_requests') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(requests));
        return;
      }
      if (url.pathname === '/token') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `anon ${url.searchParams.get('scope')}` }));
        return;
      }
      const m = /^\/v2\/(.+)\/(manifests|blobs)\/(.+)$/.exec(url.pathname);
      if (!m) return void res.writeHead(404).end();
      const [, repo, , ref] = m as unknown as [string, string, string, string];
      if (!req.headers.authorization?.startsWith('Bearer anon ')) {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${here}/token",service="fake",scope="repository:${repo}:pull"` }).end();
        return;
      }
      if (options.private?.includes(repo)) return void res.writeHead(403).end();
      const blob = blobs.get(`${repo}@${ref.startsWith('sha256:') ? ref : tags.get(`${repo}:${ref}`)}`);
      if (!blob) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': blob.type }).end(blob.body);
    });
    server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
  return { host, requests, stop: () => new Promise((r) => server.close(() => r())) };
}

export interface ChildRegistry {
  host: string;
  requests(): Promise<string[]>;
  stop(): Promise<void>;
}

export async function spawnFakeRegistry(images: readonly FakeImage[]): Promise<ChildRegistry> {
  const main = new URL('./fake-registry-main.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', main, JSON.stringify(images)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const host = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the fake registry exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  return {
    host,
    requests: async () => (await (await fetch(`http://${host}/_requests`)).json()) as string[],
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
