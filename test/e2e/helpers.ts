// End-to-end: the real docker client, the installed plugin, the real AWS SDK, against the local
// AWS simulator in a child process. Each test project is copied into the sandbox folder.
import { chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSimulator, type ChildSimulator } from '../sim/child.js';
import type { Scenario } from '../sim/scenario.js';
import { DockerSandbox, repoRoot, type RunResult } from '../support/docker.js';

export interface E2E {
  box: DockerSandbox;
  sim: ChildSimulator;
  /** `docker ecs compose ...` in the project folder */
  compose(args: string[], env?: Record<string, string | undefined>): RunResult;
  projectDir: string;
  stop(): Promise<void>;
}

export interface E2EOptions {
  scenario?: Scenario;
  /** the example shop (the default), or the files of a project */
  project?: 'shop' | Record<string, string>;
  speed?: number;
  /** false leaves docker on its default context, for tests that create the ECS context as users do */
  context?: boolean;
}

export async function startE2E(opts: E2EOptions = {}): Promise<E2E> {
  const sim = await spawnSimulator({ scenario: opts.scenario, ...(opts.speed ? { speed: opts.speed } : {}) });
  const box = new DockerSandbox({
    AWS_ENDPOINT_URL: sim.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDE2E',
    AWS_SECRET_ACCESS_KEY: 'e2e-fake-secret',
    CI: 'true',
  });
  box.installPlugin();
  if (opts.context !== false) {
    const created = box.docker(['ecs', 'context', 'create', 'e2e', '--from-env']);
    if (created.code !== 0) throw new Error(created.stderr);
    box.docker(['context', 'use', 'e2e']);
  }
  const projectDir = join(box.dir, 'project');
  if (!opts.project || opts.project === 'shop') {
    cpSync(join(repoRoot, 'examples', 'shop'), projectDir, { recursive: true });
  } else {
    for (const [file, text] of Object.entries(opts.project)) {
      mkdirSync(join(projectDir, file, '..'), { recursive: true });
      writeFileSync(join(projectDir, file), text);
    }
  }
  return {
    box,
    sim,
    projectDir,
    compose: (args, env) => box.docker(['ecs', 'compose', ...args], { cwd: projectDir, env }),
    async stop() {
      await sim.stop();
      box.cleanup();
    },
  };
}

/**
 * startE2E, then `docker ecs compose` with the `up` arguments (default just `up`), for suites
 * that observe or operate a deployed project; a failed up stops it all and throws up's stderr.
 */
export async function startDeployed(opts: E2EOptions & { up?: string[] } = {}): Promise<E2E> {
  const e = await startE2E(opts);
  const up = e.compose(opts.up ?? ['up']);
  if (up.code !== 0) {
    await e.stop();
    throw new Error(up.stderr);
  }
  return e;
}

export function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * A stand-in for AWS's `session-manager-plugin` in `<dir>/bin` (returned: put it first on PATH):
 * with no argument it answers as the real one does; otherwise it writes its argument count and
 * each argument to files in $RECORD_DIR (when set) and exits with $STANDIN_EXIT (default 0).
 */
export function installStandInSessionPlugin(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    join(bin, 'session-manager-plugin'),
    `#!/bin/sh
if [ "$#" -eq 0 ]; then echo "The Session Manager plugin was installed successfully. Use the AWS CLI to start a session."; exit 0; fi
if [ -n "$RECORD_DIR" ]; then
  mkdir -p "$RECORD_DIR"
  printf '%s' "$#" > "$RECORD_DIR/argc"
  i=0
  for a in "$@"; do printf '%s' "$a" > "$RECORD_DIR/arg$i"; i=$((i+1)); done
fi
exit "\${STANDIN_EXIT:-0}"
`,
  );
  chmodSync(join(bin, 'session-manager-plugin'), 0o755);
  return bin;
}
