import { expect } from 'chai';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerSandbox } from '../support/docker.js';

/** A stand-in for the real Docker Compose plugin: prints what it received, exits 3. */
function placeStandInCompose(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'docker-compose');
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      'if [ "$1" = docker-cli-plugin-metadata ]; then echo \'{"SchemaVersion":"0.1.0","Vendor":"Stand-in"}\'; exit 0; fi',
      'echo "STAND-IN COMPOSE argv=[$*] marker=${MARKER:-} orig=${DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND:-}"',
      'exit 3',
    ].join('\n') + '\n',
  );
  chmodSync(file, 0o755);
  return file;
}

describe('the opt-in docker-compose shim', () => {
  let box: DockerSandbox;
  beforeEach(() => {
    box = new DockerSandbox({ AWS_REGION: 'eu-west-1' });
    box.installPlugin();
    // the real compose sits in the lower-priority config-dir folder
    placeStandInCompose(join(box.configDir, 'cli-plugins'));
    writeFileSync(join(box.configDir, 'config.json'), JSON.stringify({ auths: { 'registry.example': {} }, detachKeys: 'ctrl-x' }));
    box.docker(['ecs', 'context', 'create', 'ecsctx', '--from-env']);
  });
  afterEach(() => box.cleanup());

  it('installs first in cliPluginsExtraDirs and keeps every other config key', () => {
    const r = box.docker(['ecs', 'compose-shim', 'install']);
    expect(r.code, r.stderr).to.equal(0);
    const config = JSON.parse(readFileSync(join(box.configDir, 'config.json'), 'utf8'));
    expect(config.cliPluginsExtraDirs).to.deep.equal([join(box.configDir, 'ecs-compose-shim')]);
    expect(config.auths).to.deep.equal({ 'registry.example': {} });
    expect(config.detachKeys).to.equal('ctrl-x');
    expect(box.docker(['ecs', 'compose-shim', 'status', '--format', 'json']).stdout).to.contain('"installed":true');
  });

  it('sends a non-ECS context to the real compose with identical argv, environment and exit code', () => {
    box.docker(['ecs', 'compose-shim', 'install']);
    const r = box.docker(['compose', 'ps', '-a', '--format', 'json'], { env: { MARKER: 'kept' } });
    expect(r.code).to.equal(3);
    expect(r.stdout.trim()).to.equal('STAND-IN COMPOSE argv=[compose ps -a --format json] marker=kept orig=docker');
  });

  it('passes docker global flags through to the real compose', () => {
    box.docker(['ecs', 'compose-shim', 'install']);
    const r = box.docker(['-D', 'compose', 'ls']);
    expect(r.stdout).to.contain('argv=[-D compose ls]');
  });

  it('sends an ECS context, chosen by --context, DOCKER_CONTEXT or docker context use, to docker ecs compose', () => {
    box.docker(['ecs', 'compose-shim', 'install']);
    const viaFlag = box.docker(['--context', 'ecsctx', 'compose', '--help']);
    expect(viaFlag.code, viaFlag.stderr).to.equal(0);
    expect(viaFlag.stdout).to.contain('docker ecs compose');
    expect(box.docker(['compose', '--help'], { env: { DOCKER_CONTEXT: 'ecsctx' } }).stdout).to.contain('docker ecs compose');
    box.docker(['context', 'use', 'ecsctx']);
    expect(box.docker(['compose', '--help']).stdout).to.contain('docker ecs compose');
    // DOCKER_HOST wins over the current context, as in docker
    expect(box.docker(['compose', 'ps'], { env: { DOCKER_HOST: 'unix:///tmp/none.sock' } }).stdout).to.contain('STAND-IN COMPOSE');
  });

  it('never recurses into itself when the only compose left is a link back to it', () => {
    box.docker(['ecs', 'compose-shim', 'install']);
    const real = join(box.configDir, 'cli-plugins', 'docker-compose');
    rmSync(real);
    symlinkSync(join(box.configDir, 'ecs-compose-shim', 'docker-compose'), real);
    const r = box.docker(['compose', 'ps']);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.contain('no Docker Compose plugin found besides the docker-ecs shim');
  });

  it('says so clearly when there is no real compose at all', () => {
    box.docker(['ecs', 'compose-shim', 'install']);
    rmSync(join(box.configDir, 'cli-plugins', 'docker-compose'));
    const r = box.docker(['compose', 'version']);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stderr).to.contain('no Docker Compose plugin found');
  });

  it('uninstalls without a trace: folder gone, config keys as before', () => {
    const before = JSON.parse(readFileSync(join(box.configDir, 'config.json'), 'utf8'));
    box.docker(['ecs', 'compose-shim', 'install']);
    const r = box.docker(['ecs', 'compose-shim', 'uninstall']);
    expect(r.code).to.equal(0);
    expect(existsSync(join(box.configDir, 'ecs-compose-shim'))).to.equal(false);
    expect(JSON.parse(readFileSync(join(box.configDir, 'config.json'), 'utf8'))).to.deep.equal(before);
    expect(box.docker(['compose', 'ps']).stdout).to.contain('STAND-IN COMPOSE');
  });
});
