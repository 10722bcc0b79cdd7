// A real Docker engine and a real registry for the build tests, both from Debian's packages
// (docker.io, containerd, runc, tini, docker-registry, busybox-static), unpacked into
// .cache/engine/ by scripts/engine-packages.sh (which .ci/run calls). The tests start them and
// stop them: dockerd as root with the vfs storage driver, no iptables and no bridge, its own data
// root, exec root and socket; docker-registry on 127.0.0.1 with filesystem storage in a
// temporary folder. Nothing can be pulled here, so test images are built FROM scratch.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './docker.js';

export const ENGINE_ROOT = join(repoRoot, '.cache', 'engine', 'root');
const DOCKERD = join(ENGINE_ROOT, 'usr', 'sbin', 'dockerd');
const REGISTRY = join(ENGINE_ROOT, 'usr', 'bin', 'docker-registry');
export const BUSYBOX = join(ENGINE_ROOT, 'bin', 'busybox');

export interface RealEngine {
  /** `unix:///.../docker.sock` */
  host: string;
  /** `http://127.0.0.1:PORT` */
  registryUrl: string;
  /** what the registry logged (one line per request) */
  registryLog(): string;
  stop(): Promise<void>;
}

/** Why the real engine cannot run here, or undefined when it can. */
export function engineUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'dockerd needs root';
  if (!existsSync(DOCKERD) || !existsSync(REGISTRY)) return 'the engine packages are not in .cache/engine (run scripts/engine-packages.sh)';
  if (spawnSync('docker', ['--version'], { stdio: 'ignore' }).status !== 0) return 'no docker client on PATH';
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number, log: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not start within ${timeoutMs} ms:\n${log().slice(-2000)}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startRealEngine(): Promise<RealEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'docker-ecs-engine-'));
  const socket = join(dir, 'docker.sock');
  const host = `unix://${socket}`;
  const bin = `${join(ENGINE_ROOT, 'usr', 'bin')}:${join(ENGINE_ROOT, 'usr', 'sbin')}:${process.env.PATH ?? ''}`;
  let dockerdLog = '';
  const dockerd = spawn(
    DOCKERD,
    [
      '--storage-driver=vfs',
      '--iptables=false',
      '--ip6tables=false',
      '--bridge=none',
      '--data-root', join(dir, 'data'),
      '--exec-root', join(dir, 'exec'),
      '-H', host,
      '--pidfile', join(dir, 'docker.pid'),
      '--containerd-namespace', `docker-ecs-${process.pid}`,
      '--containerd-plugins-namespace', `docker-ecs-${process.pid}-plugins`,
    ],
    { env: { ...process.env, PATH: bin }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  dockerd.stdout!.on('data', (c: Buffer) => (dockerdLog += c.toString()));
  dockerd.stderr!.on('data', (c: Buffer) => (dockerdLog += c.toString()));

  const port = await freePort();
  const config = join(dir, 'registry.yml');
  writeFileSync(config, `version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'registry')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  let registryLog = '';
  const registry = spawn(REGISTRY, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  registry.stdout!.on('data', (c: Buffer) => (registryLog += c.toString()));
  registry.stderr!.on('data', (c: Buffer) => (registryLog += c.toString()));

  const stop = async (): Promise<void> => {
    await Promise.all([stopChild(dockerd), stopChild(registry)]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until('dockerd', () => spawnSync('docker', ['-H', host, 'version', '--format', '{{.Server.Version}}'], { stdio: 'ignore' }).status === 0, 60_000, () => dockerdLog);
    const registryUrl = `http://127.0.0.1:${port}`;
    await until('docker-registry', async () => (await fetch(`${registryUrl}/v2/`).catch(() => undefined))?.status === 200, 20_000, () => registryLog);
    return { host, registryUrl, registryLog: () => registryLog, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The manifest digest the registry holds for `repo:tag` (or undefined). */
export async function registryDigest(registryUrl: string, repo: string, ref: string): Promise<string | undefined> {
  const res = await fetch(`${registryUrl}/v2/${repo}/manifests/${ref}`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
  });
  return res.status === 200 ? (res.headers.get('docker-content-digest') ?? undefined) : undefined;
}

/** Manifest uploads the registry logged: one per push that sent a manifest. */
export function manifestPuts(log: string): number {
  return log.split('\n').filter((l) => /"PUT \/v2\/[^"]*\/manifests\//.test(l)).length;
}
