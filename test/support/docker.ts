// Drives the real `docker` client (no engine needed) with the plugin installed into a
// throwaway DOCKER_CONFIG, the way a user runs it.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** An environment without the developer's docker/AWS settings leaking into the test. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(DOCKER_|AWS_|COMPOSE_)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...extra };
}

export function run(cmd: string, args: string[], opts: SpawnSyncOptions & { env?: NodeJS.ProcessEnv } = {}): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, ...opts });
  if (r.error) throw r.error;
  return { code: r.status ?? (r.signal ? 128 : 1), stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** A temporary docker config dir and HOME with the plugin installed through `npm run install-plugin`'s script. */
export class DockerSandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'docker-ecs-test-'));
  readonly configDir = join(this.dir, 'docker');
  readonly home = join(this.dir, 'home');
  env: NodeJS.ProcessEnv;

  constructor(extraEnv: Record<string, string | undefined> = {}) {
    this.env = cleanEnv({ DOCKER_CONFIG: this.configDir, HOME: this.home, ...extraEnv });
  }

  installPlugin(): RunResult {
    const r = run(process.execPath, [join(repoRoot, 'scripts', 'install-plugin.mjs'), 'install'], { env: this.env });
    if (r.code !== 0) throw new Error(`install-plugin failed: ${r.stderr}`);
    return r;
  }

  docker(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string; input?: string } = {}): RunResult {
    return run('docker', args, { env: { ...this.env, ...opts.env }, cwd: opts.cwd ?? this.dir, input: opts.input });
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One line, no stack trace: what every user-facing failure must look like. */
export function isOneCleanLine(stderr: string): boolean {
  const lines = stderr.trim().split('\n');
  return lines.length === 1 && !/\n\s+at |Error: .*\n\s+at /.test(stderr) && lines[0]!.length > 10;
}
