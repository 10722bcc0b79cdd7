import { expect } from 'chai';
import { normalizeArgv } from '../../src/cli/argv.js';

describe('argv normalisation', () => {
  it('strips docker global flags in both forms and keeps them', () => {
    const r = normalizeArgv(['--config', '/c', '--context=prod', '-D', '-l', 'debug', 'ecs', 'context', 'ls']);
    expect(r.kind).to.equal('run');
    expect(r.args).to.deep.equal(['context', 'ls']);
    expect(r.globals).to.include({ config: '/c', context: 'prod', debug: true, logLevel: 'debug' });
    expect(r.globals.raw).to.deep.equal(['--config', '/c', '--context', 'prod', '-D', '-l', 'debug']);
  });

  it('takes -c and -H with a value and the TLS flags', () => {
    const r = normalizeArgv(['-c', 'x', '-H', 'tcp://h:2375', '--tlsverify', '--tlscacert', 'ca.pem', 'ecs', 'compose', 'ps']);
    expect(r.globals).to.include({ context: 'x', host: 'tcp://h:2375' });
    expect(r.args).to.deep.equal(['compose', 'ps']);
  });

  it('turns `docker help ecs compose up` into compose up --help', () => {
    expect(normalizeArgv(['help', 'ecs', 'compose', 'up']).args).to.deep.equal(['compose', 'up', '--help']);
  });

  it('turns `help compose ...` from the compose shim into compose --help', () => {
    expect(normalizeArgv(['help', 'compose', 'ps']).args).to.deep.equal(['compose', 'ps', '--help']);
  });

  it('recognises shell completion', () => {
    const r = normalizeArgv(['__complete', 'ecs', 'compose', 'u']);
    expect(r.kind).to.equal('complete');
    expect(r.args).to.deep.equal(['compose', 'u']);
  });

  it('moves the compose subcommand before compose flags typed ahead of it', () => {
    expect(normalizeArgv(['ecs', 'compose', '-f', 'a.yml', '-p', 'demo', 'up', '-d']).args).to.deep.equal([
      'compose', 'up', '--file', 'a.yml', '--project-name', 'demo', '-d',
    ]);
    expect(normalizeArgv(['ecs', 'compose', '--file=a.yml', 'convert']).args).to.deep.equal(['compose', 'convert', '--file=a.yml']);
  });

  it('keeps `-f` before logs as the compose file, not logs --follow', () => {
    expect(normalizeArgv(['ecs', 'compose', '-f', 'a.yml', 'logs', '-f']).args).to.deep.equal(['compose', 'logs', '--file', 'a.yml', '-f']);
  });

  it('leaves a compose command whose subcommand comes first alone', () => {
    expect(normalizeArgv(['ecs', 'compose', 'logs', '-f', 'web']).args).to.deep.equal(['compose', 'logs', '-f', 'web']);
  });

  it('works when run directly, without the plugin name', () => {
    expect(normalizeArgv(['context', 'ls']).args).to.deep.equal(['context', 'ls']);
  });
});

describe('argv normalisation: docker compose globals before the subcommand', () => {
  it('takes --progress, --ansi and --parallel with their values before the subcommand', () => {
    expect(normalizeArgv(['ecs', 'compose', '--progress', 'plain', '--ansi', 'never', 'up', '-d']).args).to.deep.equal([
      'compose', 'up', '--progress', 'plain', '--ansi', 'never', '-d',
    ]);
    expect(normalizeArgv(['ecs', 'compose', '--parallel', '4', '--dry-run', 'up']).args).to.deep.equal(['compose', 'up', '--parallel', '4', '--dry-run']);
  });

  it('takes --project-directory before the subcommand, and the compose shim\'s argv without the plugin name', () => {
    expect(normalizeArgv(['--context', 'e2e', 'compose', '--project-directory', 'app', 'config']).args).to.deep.equal([
      'compose', 'config', '--project-directory', 'app',
    ]);
  });
});
