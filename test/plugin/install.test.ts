import { expect } from 'chai';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DockerSandbox, cleanEnv, isOneCleanLine, repoRoot, run } from '../support/docker.js';

describe('the docker ecs plugin', () => {
  let box: DockerSandbox;
  beforeEach(() => (box = new DockerSandbox()));
  afterEach(() => box.cleanup());

  it('installs into DOCKER_CONFIG/cli-plugins, idempotently, saying where', () => {
    const first = box.installPlugin();
    const second = box.installPlugin();
    const target = join(box.configDir, 'cli-plugins', 'docker-ecs');
    expect(first.stdout).to.contain(target);
    expect(second.stdout).to.contain(target);
    expect(statSync(target).mode & 0o111).to.not.equal(0);
  });

  it('is listed by `docker help` and answers `docker ecs --help` from any folder', () => {
    box.installPlugin();
    const help = box.docker(['help']);
    expect(help.stdout).to.match(/ecs\*\s+Deploy Compose applications to Amazon ECS/);
    expect(help.stdout).to.not.contain('Invalid Plugins');
    const ecs = box.docker(['ecs', '--help'], { cwd: '/' });
    expect(ecs.code).to.equal(0);
    expect(ecs.stdout).to.contain('docker ecs');
    expect(ecs.stdout).to.contain('context');
    expect(box.docker(['help', 'ecs', 'context']).stdout).to.contain('docker ecs context');
  });

  it('uninstalls and leaves docker without the plugin', () => {
    box.installPlugin();
    const r = run(process.execPath, [join(repoRoot, 'scripts', 'install-plugin.mjs'), 'uninstall'], { env: box.env });
    expect(r.code).to.equal(0);
    expect(existsSync(join(box.configDir, 'cli-plugins', 'docker-ecs'))).to.equal(false);
    expect(box.docker(['help']).stdout).to.not.match(/\becs\*/);
  });

  it('answers the metadata call without Node, with the version of package.json', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    // an empty PATH: no node could be found, so the answer must come from the shell itself
    const r = run('/bin/sh', [join(repoRoot, 'plugin-metadata', 'docker-ecs'), 'docker-cli-plugin-metadata'], { env: { PATH: '' } });
    expect(r.code).to.equal(0);
    const meta = JSON.parse(r.stdout) as Record<string, string>;
    expect(meta).to.include({ SchemaVersion: '0.1.0', Vendor: 'docker-ecs', Version: pkg.version });
    expect(JSON.parse(readFileSync(join(repoRoot, 'plugin-metadata', 'metadata.json'), 'utf8'))).to.deep.equal(meta);
  });

  it('completes command words for the shell', () => {
    box.installPlugin();
    const r = box.docker(['__complete', 'ecs', 'compose-shim', 'st']);
    expect(r.stdout.split('\n')).to.include('status');
  });

  it('refuses an unknown command and an unknown flag with one sentence and exit 1', () => {
    box.installPlugin();
    const cmd = box.docker(['ecs', 'deploy']);
    expect(cmd.code).to.equal(1);
    expect(cmd.stderr.trim()).to.equal('Unknown command "deploy"; run `docker ecs --help` to see the commands.');
    const flag = box.docker(['ecs', 'context', 'ls', '--bogus']);
    expect(flag.code).to.equal(1);
    expect(isOneCleanLine(flag.stderr)).to.equal(true);
    expect(flag.stderr).to.contain('--bogus');
  });

  it('keeps cleanEnv free of the developer AWS settings', () => {
    expect(Object.keys(cleanEnv()).filter((k) => k.startsWith('AWS_') && k !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED')).to.deep.equal([]);
  });
});
