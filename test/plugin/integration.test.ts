import { expect } from 'chai';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerSandbox, isOneCleanLine, run, type RunResult } from '../support/docker.js';

/** A stand-in docker later on PATH: prints its argv and environment, exits 7. */
function placeStandInDocker(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'docker');
  writeFileSync(file, ['#!/bin/sh', 'printf "STAND-IN DOCKER argv=[%s]\\n" "$*"', 'env | sort > "$ENV_DUMP"', 'exit 7'].join('\n') + '\n');
  chmodSync(file, 0o755);
  return file;
}

function envLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l && !/^(_|PWD|SHLVL|OLDPWD)=/.test(l));
}

describe('docker ecs integration (the docker wrapper and the compose shim)', function () {
  this.timeout(60_000);
  let box: DockerSandbox;
  let binDir: string;
  const realDockerDir = '/usr/local/bin';
  beforeEach(() => {
    box = new DockerSandbox({ AWS_REGION: 'eu-west-1' });
    box.installPlugin();
    binDir = join(box.configDir, 'ecs-integration', 'bin');
  });
  afterEach(() => box.cleanup());

  /** docker as the user types it, with the wrapper's folder first on PATH */
  const viaWrapper = (args: string[], env: Record<string, string | undefined> = {}): RunResult =>
    run('docker', args, { env: { ...box.env, PATH: `${binDir}:${box.env.PATH}`, ...env }, cwd: box.dir });

  it('installs the wrapper and the shim, prints the PATH line for bash, zsh and fish, and touches no shell file', () => {
    writeFileSync(join(box.configDir, 'config.json'), '{\n  "auths": {}\n}\n');
    const r = box.docker(['ecs', 'integration', 'install']);
    expect(r.code, r.stderr).to.equal(0);
    expect(existsSync(join(binDir, 'docker'))).to.equal(true);
    expect(existsSync(join(box.configDir, 'ecs-compose-shim', 'docker-compose'))).to.equal(true);
    expect(r.stdout).to.contain(`bash  (~/.bashrc):  export PATH="${binDir}:$PATH"`);
    expect(r.stdout).to.contain(`zsh   (~/.zshrc):  export PATH="${binDir}:$PATH"`);
    expect(r.stdout).to.contain(`fish  (~/.config/fish/config.fish):  set -gx PATH ${binDir} $PATH`);
    expect(existsSync(join(box.home, '.bashrc'))).to.equal(false);
    expect(existsSync(join(box.home, '.zshrc'))).to.equal(false);
    expect(existsSync(join(box.home, '.config'))).to.equal(false);
    const status = JSON.parse(box.docker(['ecs', 'integration', 'status', '--format', 'json']).stdout);
    expect(status).to.deep.include({ installed: true });
    expect(status.wrapper).to.deep.include({ installed: true, firstOnPath: false });
    expect(status.composeShim).to.deep.include({ installed: true, first: true });
    const first = JSON.parse(viaWrapper(['ecs', 'integration', 'status', '--format', 'json']).stdout);
    expect(first.wrapper).to.deep.include({ firstOnPath: true, realDocker: join(realDockerDir, 'docker') });
    expect(viaWrapper(['ecs', 'integration', 'status']).stdout).to.contain('Its folder is first on PATH');
  });

  it('turns `docker context create ecs NAME --from-env` into an ECS context, global flags kept in front', () => {
    box.docker(['ecs', 'integration', 'install']);
    const r = viaWrapper(['context', 'create', 'ecs', 'myecs', '--from-env', '--description', 'my ECS']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal('myecs');
    const [shown] = JSON.parse(box.docker(['context', 'inspect', 'myecs']).stdout) as [{ Metadata: unknown; Endpoints: unknown }];
    expect(shown.Metadata).to.deep.equal({ Description: 'my ECS', Type: 'ecs' });
    expect(shown.Endpoints).to.deep.equal({ ecs: { CredentialsFromEnv: true, Region: 'eu-west-1' } });
    // global flags before the command stay in front of `ecs`
    const g = viaWrapper(['--log-level', 'error', '-D', 'context', 'create', 'ecs', 'second', '--from-env', '--region', 'us-east-2']);
    expect(g.code, g.stderr).to.equal(0);
    expect(box.docker(['context', 'inspect', 'second', '--format', '{{json .Endpoints.ecs}}']).stdout.trim()).to.equal('{"CredentialsFromEnv":true,"Region":"us-east-2"}');
  });

  it('refuses --access-keys and --local-simulation with one sentence, exit 1, and creates nothing', () => {
    box.docker(['ecs', 'integration', 'install']);
    const keys = viaWrapper(['context', 'create', 'ecs', 'k1', '--access-keys']);
    expect(keys.code).to.equal(1);
    expect(isOneCleanLine(keys.stderr), keys.stderr).to.equal(true);
    expect(keys.stderr).to.match(/--access-keys.*AWS profile.*--profile/);
    const sim = viaWrapper(['context', 'create', 'ecs', 'k2', '--local-simulation']);
    expect(sim.code).to.equal(1);
    expect(isOneCleanLine(sim.stderr)).to.equal(true);
    expect(box.docker(['context', 'ls', '--format', '{{.Name}}']).stdout).not.to.match(/k1|k2/);
  });

  it('leaves every other docker command alone: docker context create of a docker context named ecs, ls, version', () => {
    box.docker(['ecs', 'integration', 'install']);
    const dockerCtx = viaWrapper(['context', 'create', 'ecs', '--docker', 'host=unix:///tmp/x.sock']);
    expect(dockerCtx.code, dockerCtx.stderr).to.equal(0);
    expect(box.docker(['context', 'inspect', 'ecs', '--format', '{{.Endpoints.docker.Host}}']).stdout.trim()).to.equal('unix:///tmp/x.sock');
    const direct = box.docker(['version', '--format', '{{.Client.Version}}']);
    const wrapped = viaWrapper(['version', '--format', '{{.Client.Version}}']);
    expect(wrapped).to.deep.equal(direct);
    const bad = viaWrapper(['no-such-command']);
    expect(bad.code).to.equal(box.docker(['no-such-command']).code);
  });

  it('execs the next docker on PATH with identical argv, environment (plus its loop guard) and exit status', () => {
    box.docker(['ecs', 'integration', 'install']);
    const standIn = join(box.dir, 'standin');
    placeStandInDocker(standIn);
    const dump = join(box.dir, 'env.txt');
    const env = { ...box.env, PATH: `${binDir}:${standIn}:${box.env.PATH}`, ENV_DUMP: dump, MARKER: 'a b  c' };
    const r = run('sh', ['-c', 'docker "$@"', 'sh', '--context', 'x', 'run', '--rm', 'it has spaces', ''], { env, cwd: box.dir });
    expect(r.code).to.equal(7);
    expect(r.stdout).to.equal('STAND-IN DOCKER argv=[--context x run --rm it has spaces ]\n');
    const seen = envLines(dump);
    const direct = join(box.dir, 'env-direct.txt');
    run('sh', ['-c', `${join(standIn, 'docker')} x`], { env: { ...env, ENV_DUMP: direct }, cwd: box.dir });
    expect(seen.filter((l) => !l.startsWith('DOCKER_ECS_WRAPPER_PID=') && !l.startsWith('ENV_DUMP='))).to.deep.equal(
      envLines(direct).filter((l) => !l.startsWith('ENV_DUMP=')),
    );
    expect(seen.filter((l) => l.startsWith('DOCKER_ECS_WRAPPER_PID='))).to.have.length(1);
  });

  it('never recurses: a docker later on PATH that is a link to the wrapper, or one that execs it again', () => {
    box.docker(['ecs', 'integration', 'install']);
    const loop = join(box.dir, 'loop');
    mkdirSync(loop);
    symlinkSync(join(binDir, 'docker'), join(loop, 'docker'));
    const linked = run('docker', ['ps'], { env: { ...box.env, PATH: `${binDir}:${loop}:/usr/bin:/bin` } });
    expect(linked.code).to.equal(1);
    expect(isOneCleanLine(linked.stderr)).to.equal(true);
    expect(linked.stderr).to.contain('no docker client found on PATH after the docker-ecs wrapper');

    const back = join(box.dir, 'back');
    mkdirSync(back);
    writeFileSync(join(back, 'docker'), `#!/bin/sh\nexec ${join(binDir, 'docker')} "$@"\n`);
    chmodSync(join(back, 'docker'), 0o755);
    const execd = run('docker', ['ps'], { env: { ...box.env, PATH: `${binDir}:${back}:/usr/bin:/bin` }, timeout: 10_000 });
    expect(execd.code).to.equal(1);
    expect(isOneCleanLine(execd.stderr)).to.equal(true);
    expect(execd.stderr).to.contain('reached itself again');
  });

  it('on the default context `docker compose` reaches the real compose plugin through the wrapper and the shim', () => {
    const plugins = join(box.configDir, 'cli-plugins');
    writeFileSync(
      join(plugins, 'docker-compose'),
      '#!/bin/sh\nif [ "$1" = docker-cli-plugin-metadata ]; then echo \'{"SchemaVersion":"0.1.0","Vendor":"Stand-in"}\'; exit 0; fi\necho "STAND-IN COMPOSE argv=[$*]"\nexit 3\n',
    );
    chmodSync(join(plugins, 'docker-compose'), 0o755);
    box.docker(['ecs', 'integration', 'install']);
    const r = viaWrapper(['compose', 'ps', '-a']);
    expect(r.code).to.equal(3);
    expect(r.stdout.trim()).to.equal('STAND-IN COMPOSE argv=[compose ps -a]');
  });

  it('uninstalls without a trace: folder and shim gone, config.json byte for byte as before', () => {
    const original = '{\n    "auths": { "registry.example": {} },\n    "detachKeys": "ctrl-x"\n}\n';
    writeFileSync(join(box.configDir, 'config.json'), original);
    box.docker(['ecs', 'integration', 'install']);
    box.docker(['ecs', 'integration', 'install']); // twice: the first "before" is kept
    expect(readFileSync(join(box.configDir, 'config.json'), 'utf8')).not.to.equal(original);
    const r = box.docker(['ecs', 'integration', 'uninstall']);
    expect(r.code, r.stderr).to.equal(0);
    expect(existsSync(join(box.configDir, 'ecs-integration'))).to.equal(false);
    expect(existsSync(join(box.configDir, 'ecs-compose-shim'))).to.equal(false);
    expect(readFileSync(join(box.configDir, 'config.json'), 'utf8')).to.equal(original);
    expect(box.docker(['ecs', 'integration', 'uninstall']).stdout).to.contain('nothing to remove');
    const status = JSON.parse(box.docker(['ecs', 'integration', 'status', '--format', 'json']).stdout);
    expect(status).to.deep.include({ installed: false });
  });

  it('uninstall removes a config.json that install created', () => {
    expect(existsSync(join(box.configDir, 'config.json'))).to.equal(false);
    box.docker(['ecs', 'integration', 'install']);
    expect(existsSync(join(box.configDir, 'config.json'))).to.equal(true);
    box.docker(['ecs', 'integration', 'uninstall']);
    expect(existsSync(join(box.configDir, 'config.json'))).to.equal(false);
  });
});
