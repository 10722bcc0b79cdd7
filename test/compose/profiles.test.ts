import { expect } from 'chai';
import { loadCompose, loadError } from './helpers.js';

const FILE = 'services:\n  web:\n    image: a\n  debug:\n    image: b\n    profiles: [debug]\n  tools:\n    image: c\n    profiles: [tools, ops]\n';

describe('profiles', () => {
  it('enables only services without profiles by default', () => {
    const p = loadCompose(FILE);
    expect(Object.keys(p.services)).to.deep.equal(['web']);
    expect(Object.keys(p.disabledServices)).to.deep.equal(['debug', 'tools']);
  });

  it('enables the services of each --profile', () => {
    expect(Object.keys(loadCompose(FILE, { profiles: ['ops'] }).services)).to.deep.equal(['tools', 'web']);
    expect(Object.keys(loadCompose(FILE, { profiles: ['debug', 'tools'] }).services)).to.deep.equal(['debug', 'tools', 'web']);
  });

  it('reads COMPOSE_PROFILES as a comma-separated list when no --profile is given', () => {
    const p = loadCompose(FILE, { env: { COMPOSE_PROFILES: 'debug, ops' } });
    expect(Object.keys(p.services)).to.deep.equal(['debug', 'tools', 'web']);
    expect(p.profiles).to.deep.equal(['debug', 'ops']);
    expect(Object.keys(loadCompose(FILE, { env: { COMPOSE_PROFILES: 'debug' }, profiles: ['tools'] }).services)).to.deep.equal(['tools', 'web']);
  });

  it('enables everything with *', () => {
    expect(Object.keys(loadCompose(FILE, { profiles: ['*'] }).services)).to.deep.equal(['debug', 'tools', 'web']);
  });

  it('refuses an enabled service that requires a disabled one, naming the profile', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n    depends_on: [db]\n  db:\n    image: b\n    profiles: [dev]\n'))).to.equal(
      'compose.yaml:2: service "db" is required by "web" but is disabled; it is enabled by the profile dev. Add --profile dev (or COMPOSE_PROFILES=dev), or mark the dependency required: false.',
    );
  });

  it('does not check or read the files of disabled services, as compose-go', () => {
    const p = loadCompose('services:\n  web:\n    image: a\n  tool:\n    profiles: [tools]\n    env_file: missing.env\n    networks: [undeclared]\n');
    expect(Object.keys(p.disabledServices)).to.deep.equal(['tool']);
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n  tool:\n    profiles: [tools]\n    image: t\n    env_file: missing.env\n', { profiles: ['tools'] }))).to.match(/^compose\.yaml:7: services\.tool\.env_file names missing\.env/);
  });

  it('drops a dependency with required: false on a disabled service', () => {
    const p = loadCompose('services:\n  web:\n    image: a\n    depends_on:\n      db:\n        condition: service_started\n        required: false\n  db:\n    image: b\n    profiles: [dev]\n');
    expect(p.services.web!.depends_on).to.deep.equal({});
  });
});
