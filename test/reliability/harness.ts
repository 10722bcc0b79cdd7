// The reliability tests' rig: the real docker client with the plugin installed in a throwaway
// DOCKER_CONFIG, an ECS context whose credentials come from the environment, and the AWS
// simulator in a child process whose call record says what reached "AWS".
import { spawn } from 'node:child_process';
import { spawnSimulator, type ChildSimulator } from '../sim/child.js';
import type { Scenario } from '../sim/scenario.js';
import { DockerSandbox, type RunResult } from '../support/docker.js';

/** Fake keys: never secret, but the secret tests check they are not written anywhere either. */
export const ACCESS_KEY_ID = 'AKIDRELIABILITY0001';
export const SECRET_ACCESS_KEY = 'reliability-fake-secret-access-key';

export interface Rig {
  box: DockerSandbox;
  sim: ChildSimulator;
  /** `docker ARGS` in `cwd` (default the sandbox folder), without blocking the event loop. */
  docker(args: string[], opts?: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number }): Promise<RunResult & { timedOut: boolean }>;
  stop(): Promise<void>;
}

export async function startRig(opts: { scenario?: Scenario; speed?: number; context?: boolean } = {}): Promise<Rig> {
  const sim = await spawnSimulator({ scenario: opts.scenario, speed: opts.speed });
  const box = new DockerSandbox({
    AWS_ENDPOINT_URL: sim.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    CI: 'true',
  });
  box.installPlugin();
  if (opts.context !== false) {
    const created = box.docker(['ecs', 'context', 'create', 'rel', '--from-env']);
    if (created.code !== 0) throw new Error(created.stderr);
    const used = box.docker(['context', 'use', 'rel']);
    if (used.code !== 0) throw new Error(used.stderr);
  }
  return {
    box,
    sim,
    docker: (args, o = {}) => runAsync('docker', args, { cwd: o.cwd ?? box.dir, env: { ...box.env, ...o.env }, timeoutMs: o.timeoutMs ?? 60_000 }),
    async stop() {
      await sim.stop();
      box.cleanup();
    },
  };
}

export function runAsync(cmd: string, args: string[], o: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<RunResult & { timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    // its own process group, so a timeout ends docker and the plugin process it started
    const child = spawn(cmd, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, o.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, timedOut });
    });
  });
}

/** Runs `jobs` with at most `width` at a time (two cores: docker + node per job). */
export async function inParallel<T>(jobs: Array<() => Promise<T>>, width = 3): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}
