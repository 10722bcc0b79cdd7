/**
 * The simulator in a child process (as end-to-end tests and the demo run it), with its control API:
 * the calls it recorded and the scenario, over HTTP under `/_sim/`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Scenario } from './scenario.js';
import type { RecordedCall } from './server.js';
import { currentTestTitle, recordForLint } from '../support/cfn-lint.js';

export interface ChildSimulator {
  url: string;
  process: ChildProcess;
  calls(): Promise<RecordedCall[]>;
  stacks(): Promise<Array<{ id: string; name: string; status: string; statusReason?: string; resources: Array<{ logicalId: string; type: string; physicalId?: string; status: string }> }>>;
  setScenario(s: Scenario): Promise<void>;
  stop(): Promise<void>;
}

const mainTs = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');

export async function spawnSimulator(opts: { scenario?: Scenario; speed?: number; port?: number; startTimeoutMs?: number } = {}): Promise<ChildSimulator> {
  const args = ['--import', 'tsx', mainTs, '--port', String(opts.port ?? 0)];
  if (opts.speed !== undefined) args.push('--speed', String(opts.speed));
  if (opts.scenario) {
    const file = join(mkdtempSync(join(tmpdir(), 'aws-sim-')), 'scenario.json');
    writeFileSync(file, JSON.stringify(opts.scenario));
    args.push('--scenario', file);
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the simulator did not start'));
    }, opts.startTimeoutMs ?? 15_000);
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (line) => {
      clearTimeout(timer);
      const m = /^AWS_ENDPOINT_URL=(.+)$/.exec(line);
      if (m) resolve(m[1]!);
      else reject(new Error(`unexpected first line: ${line}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited with ${code}`));
    });
  });
  // Tests run docker with spawnSync, which blocks this event loop past the server's keep-alive
  // timeout: the pooled socket is then closed on the other side before undici notices, and the
  // first request on it fails. Control requests are idempotent, so they are sent once more.
  const once = async (path: string, init?: RequestInit): Promise<Response> => {
    try {
      return await fetch(url + path, init);
    } catch {
      return fetch(url + path, init);
    }
  };
  const get = async <T>(path: string): Promise<T> => (await (await once(path)).json()) as T;
  return {
    url,
    process: child,
    calls: () => get<RecordedCall[]>('/_sim/calls'),
    stacks: () => get('/_sim/stacks'),
    async setScenario(s) {
      const r = await once('/_sim/scenario', { method: 'POST', body: JSON.stringify(s) });
      if (!r.ok) throw new Error(`setScenario: ${r.status} ${await r.text()}`);
    },
    async stop() {
      // the templates the plugin sent go to cfn-lint with the parent's other templates
      if (child.exitCode === null && child.signalCode === null) {
        const sent = await get<string[]>('/_sim/templates').catch(() => [] as string[]);
        for (const body of sent) recordForLint(body, `${currentTestTitle()} (simulator in a child process)`);
      }
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}
