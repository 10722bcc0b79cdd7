// The reliability tests' rig: the real docker client with the plugin installed in a throwaway
// DOCKER_CONFIG, an ECS context whose credentials come from the environment, and the AWS
// simulator in a child process whose call record says what reached "AWS".
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
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
  docker(args: string[], opts?: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number; interruptWhen?: RegExp }): Promise<RunResult & { timedOut: boolean }>;
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
    docker: (args, o = {}) => runAsync('docker', args, { cwd: o.cwd ?? box.dir, env: { ...box.env, ...o.env }, timeoutMs: o.timeoutMs ?? 60_000, interruptWhen: o.interruptWhen }),
    async stop() {
      await sim.stop();
      box.cleanup();
    },
  };
}

/** `interruptWhen`: once the output matches, Ctrl-C as a terminal sends it (SIGINT to the process group). */
export async function runAsync(cmd: string, args: string[], o: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; interruptWhen?: RegExp }): Promise<RunResult & { timedOut: boolean }> {
  let interrupted = false;
  const r = await spawnWatched(cmd, args, o, (output, child) => {
    if (!o.interruptWhen || interrupted || !o.interruptWhen.test(output)) return;
    interrupted = true;
    process.kill(-child.pid!, 'SIGINT');
  });
  return { code: r.code ?? (r.signal ? 128 : 1), stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut };
}

export interface Watched {
  /** null when a signal ended the process */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * `cmd ARGS` with stdout and stderr to pipes, in its own process group, so that no signal but
 * the caller's reaches it and a timeout can end it with the processes it started.
 * `onOutput` is given all the output so far (stdout then stderr) after each chunk.
 */
export function spawnWatched(
  cmd: string,
  args: string[],
  o: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
  onOutput: (output: string, child: ChildProcessByStdio<null, Readable, Readable>) => void,
): Promise<Watched> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      onOutput(stdout + stderr, child);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      onOutput(stdout + stderr, child);
    });
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
      resolve({ code, signal, stdout, stderr, timedOut });
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

/** Writes a project into the sandbox; returns its folder. */
export function writeProject(rig: Rig, name: string, files: Record<string, string>): string {
  const dir = join(rig.box.dir, 'projects', name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

/** The simulator's view of one stack (the newest of that name), if any. */
export async function stackNamed(rig: Rig, name: string) {
  const all = (await rig.sim.stacks()).filter((s) => s.name === name);
  return all[all.length - 1];
}

/** Every operation sent to AWS, as `service:Operation`. */
export async function operations(rig: Rig, since = 0): Promise<string[]> {
  return (await rig.sim.calls()).slice(since).map((c) => `${c.service}:${c.operation}`);
}

/** A stack trace or an unexplained error in user-facing output. */
export const CRASH = /\n\s+at \S+ \(|^\s+at \S+|Unexpected error|TypeError|ReferenceError|UnhandledPromiseRejection/m;

/** The last non-empty line of a text. */
export function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}
