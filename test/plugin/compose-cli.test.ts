// The compose CLI as users type it, through the real docker client: docker compose's global
// flags before the subcommand, the COMPOSE_* variables, `version` through the shim, `config`.
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerSandbox, isOneCleanLine } from '../support/docker.js';

describe('the compose CLI as users type it (offline commands)', () => {
  let box: DockerSandbox;
  let app: string;
  before(() => {
    box = new DockerSandbox({ AWS_REGION: 'eu-west-1' });
    box.installPlugin();
    box.docker(['ecs', 'context', 'create', 'ecsctx', '--from-env']);
    box.docker(['context', 'use', 'ecsctx']);
    app = join(box.dir, 'app');
    mkdirSync(app, { recursive: true });
    writeFileSync(
      join(app, 'compose.yaml'),
      'services:\n  web:\n    image: "nginx:${TAG:-latest}"\n    depends_on: [db]\n    healthcheck:\n      test: echo $$HOME\n  debug:\n    image: busybox\n    profiles: [full]\n  db:\n    image: postgres\nvolumes:\n  data: {}\n',
    );
    writeFileSync(join(app, 'tag.env'), 'TAG=1.27\n');
  });
  after(() => box.cleanup());

  it('answers `docker compose version` through the shim on an ECS context, and --short / --format json', () => {
    expect(box.docker(['ecs', 'compose-shim', 'install']).code).to.equal(0);
    const pretty = box.docker(['compose', 'version']);
    expect(pretty.code, pretty.stderr).to.equal(0);
    expect(pretty.stdout).to.match(/^Docker Compose version v2\.\d+\.\d+ \(docker-ecs \d+\.\d+\.\d+, Amazon ECS\)\n$/);
    expect(box.docker(['compose', 'version', '--short']).stdout).to.match(/^2\.\d+\.\d+\n$/);
    const json = JSON.parse(box.docker(['ecs', 'compose', 'version', '--format', 'json']).stdout) as Record<string, string>;
    expect(json.version).to.match(/^v2\.\d+\.\d+$/);
  });

  it('finds the compose file and .env in --project-directory typed before the subcommand', () => {
    const r = box.docker(['ecs', 'compose', '--project-directory', 'app', '--profile', 'full', 'config', '--services']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('db\ndebug\nweb\n');
  });

  it('takes --progress, --ansi, --parallel and --dry-run before the subcommand', () => {
    const r = box.docker(['ecs', 'compose', '--progress', 'plain', '--ansi', 'never', '--parallel', '2', '--dry-run', 'config', '-q'], { cwd: app });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('');
  });

  it('reads COMPOSE_ENV_FILES, and refuses a COMPOSE_PROGRESS value compose does not know in one sentence', () => {
    const r = box.docker(['ecs', 'compose', 'config', '--images'], { cwd: app, env: { COMPOSE_ENV_FILES: 'tag.env' } });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('postgres\nnginx:1.27\n');
    const bad = box.docker(['ecs', 'compose', 'config'], { cwd: app, env: { COMPOSE_PROGRESS: 'fancy' } });
    expect(bad.code).to.equal(1);
    expect(isOneCleanLine(bad.stderr), bad.stderr).to.equal(true);
    expect(bad.stderr).to.contain('fancy');
  });

  it('prints the model as docker compose config does: YAML, JSON, lists, $ written as $$', () => {
    const yaml = box.docker(['ecs', 'compose', 'config'], { cwd: app });
    expect(yaml.code, yaml.stderr).to.equal(0);
    expect(yaml.stdout).to.contain('name: app\nservices:\n  db:\n    image: postgres\n    networks:\n      default: null\n');
    expect(yaml.stdout).to.contain('        - echo $$HOME\n');
    const json = box.docker(['ecs', 'compose', 'config', '--format', 'json'], { cwd: app });
    const doc = JSON.parse(json.stdout) as { services: Record<string, { command: unknown; image: string }> };
    expect(Object.keys(doc)).to.deep.equal(['name', 'networks', 'services', 'volumes']);
    expect(doc.services.db).to.include({ command: null, image: 'postgres' });
    expect(box.docker(['ecs', 'compose', 'config', '--volumes'], { cwd: app }).stdout).to.equal('data\n');
    expect(box.docker(['ecs', 'compose', 'config', '--profiles'], { cwd: app }).stdout).to.equal('full\n');
  });

  it('refuses --resolve-image-digests with one sentence saying what to do instead', () => {
    const r = box.docker(['ecs', 'compose', 'config', '--resolve-image-digests'], { cwd: app });
    expect(r.code).to.equal(1);
    expect(isOneCleanLine(r.stderr), r.stderr).to.equal(true);
    expect(r.stderr).to.match(/registry lookup.*image: name@sha256/);
  });

  it('says which flags conflict when context create gets both --profile and --from-env', () => {
    const r = box.docker(['ecs', 'context', 'create', 'both', '--profile', 'dev', '--from-env']);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal('--profile and --from-env cannot be used together; choose one way to get AWS credentials.');
  });
});

describe('compose commands that mean nothing on Fargate', () => {
  let box: DockerSandbox;
  before(() => {
    box = new DockerSandbox({ AWS_REGION: 'eu-west-1' });
    box.installPlugin();
    box.docker(['ecs', 'context', 'create', 'ecsctx', '--from-env']);
    box.docker(['context', 'use', 'ecsctx']);
  });
  after(() => box.cleanup());

  for (const [command, nearest] of [['pause', 'stop SERVICE'], ['cp', 'EFS'], ['attach', 'logs -f'], ['top', 'Container Insights']] as const) {
    it(`${command}: one sentence naming ${nearest}, exit 1`, () => {
      const r = box.docker(['ecs', 'compose', command, 'web', '--some-flag', 'x']);
      expect(r.code).to.equal(1);
      expect(isOneCleanLine(r.stderr), r.stderr).to.equal(true);
      expect(r.stderr).to.match(new RegExp(`^docker compose ${command} is not available on Amazon ECS: .*${nearest.replace(/[-]/g, '\\-')}`));
    });
  }

  it('logs refuses --until with -f in one sentence', () => {
    const r = box.docker(['ecs', 'compose', '-p', 'shop', 'logs', '-f', '--until', '10m']);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal('--until and -f cannot be used together: -f keeps printing new lines, --until stops at a time in the past.');
  });
});
