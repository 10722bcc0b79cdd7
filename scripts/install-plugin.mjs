// `npm run install-plugin` / `npm run uninstall-plugin`: puts the `docker-ecs` launcher into
// ${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins so that `docker ecs ...` works from any folder.
// The installed copy carries absolute paths to this checkout and to this Node, so it works
// whatever PATH docker is started with. Idempotent; prints where it went.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const configDir = process.env.DOCKER_CONFIG || join(homedir(), '.docker');
const target = join(configDir, 'cli-plugins', 'docker-ecs');
const action = process.argv[2] ?? 'install';

const shQuote = (s) => `'${s.replaceAll("'", `'\\''`)}'`;

try {
  if (action === 'install') {
    if (!existsSync(join(root, 'dist', 'cli', 'main.cjs'))) {
      console.error(`The plugin is not built yet; run \`npm run build\` in ${root} first.`);
      process.exit(1);
    }
    const launcher = readFileSync(join(root, 'plugin-metadata', 'docker-ecs'), 'utf8')
      .replace(/^DOCKER_ECS_ROOT=.*$/m, `DOCKER_ECS_ROOT=\${DOCKER_ECS_ROOT:-${shQuote(root)}}`)
      .replace(/^DOCKER_ECS_NODE=.*$/m, `DOCKER_ECS_NODE=\${DOCKER_ECS_NODE:-${shQuote(process.execPath)}}`);
    mkdirSync(join(configDir, 'cli-plugins'), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}`;
    writeFileSync(tmp, launcher, { mode: 0o755 });
    chmodSync(tmp, 0o755);
    renameSync(tmp, target);
    console.log(`Installed the docker ecs plugin as ${target}`);
  } else if (action === 'uninstall') {
    if (existsSync(target)) {
      rmSync(target);
      console.log(`Removed ${target}`);
    } else {
      console.log(`Nothing to remove: ${target} does not exist`);
    }
  } else {
    console.error(`Unknown action "${action}"; use install or uninstall.`);
    process.exit(1);
  }
} catch (e) {
  console.error(`Cannot ${action} the plugin at ${target}: ${e.code ?? e.message}; check that ${configDir} is writable.`);
  process.exit(1);
}
