/**
 * Run the simulator standalone:
 *   node --import tsx test/sim/main.ts [--port N] [--scenario file.json] [--speed N]
 * The first stdout line is `AWS_ENDPOINT_URL=http://127.0.0.1:PORT`. Stops on SIGINT/SIGTERM.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startSimulator } from './server.js';
import type { Scenario } from './scenario.js';

/** Only as the entry point: `mocha test/sim` loads every .ts file of the folder, this one included. */
function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}
const isMain = isEntryPoint();

if (isMain) await main();

async function main(): Promise<void> {
  function arg(name: string): string | undefined {
    const i = process.argv.indexOf(`--${name}`);
    if (i >= 0) return process.argv[i + 1];
    const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
    return eq?.slice(name.length + 3);
  }

  const port = arg('port');
  const scenarioFile = arg('scenario');
  const speed = arg('speed');
  const scenario = scenarioFile ? (JSON.parse(readFileSync(scenarioFile, 'utf8')) as Scenario) : {};

  const sim = await startSimulator({
    port: port ? Number(port) : 0,
    scenario,
    // the parent process lints what the plugin sent (GET /_sim/templates), not this one
    onPluginTemplate: () => undefined,
    ...(speed ? { speed: Number(speed) } : {}),
  });
  process.stdout.write(`AWS_ENDPOINT_URL=${sim.url}\n`);
  if (process.argv.includes('--verbose')) {
    let seen = 0;
    setInterval(() => {
      for (; seen < sim.calls.length; seen++) {
        const c = sim.calls[seen]!;
        process.stderr.write(`[aws-sim] ${c.service}.${c.operation} ${c.status ?? c.fault ?? ''}${c.error ? ' ' + c.error : ''}\n`);
      }
    }, 200).unref();
  }

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void sim.stop().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
