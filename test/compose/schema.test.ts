import { expect } from 'chai';
import { closest } from '../../src/compose/suggest.js';
import { loadCompose, loadError } from './helpers.js';

describe('schema validation', () => {
  it('suggests the closest key for a misspelt service key', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    imgae: nginx\n'))).to.equal('compose.yaml:3: services.web.imgae is not a valid compose key; did you mean "image"?');
  });

  it('suggests keys at any depth, using the schema of that place', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n    deploy:\n      resources:\n        limits:\n          memroy: 1g\n'))).to.equal(
      'compose.yaml:7: services.web.deploy.resources.limits.memroy is not a valid compose key; did you mean "memory"?',
    );
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n    healthcheck:\n      intervall: 5s\n'))).to.equal(
      'compose.yaml:5: services.web.healthcheck.intervall is not a valid compose key; did you mean "interval"?',
    );
    expect(loadError(() => loadCompose('servces:\n  web:\n    image: a\n'))).to.equal('compose.yaml:1: servces is not a valid compose key; did you mean "services"?');
  });

  it('explains an unknown key with no close match and points at extensions', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n    aws_role: admin\n'))).to.equal(
      'compose.yaml:4: services.web.aws_role is not a valid compose key; remove it, or prefix it with x- to keep it as an extension.',
    );
  });

  it('accepts x- keys wherever the spec allows them', () => {
    expect(() => loadCompose('x-top: 1\nservices:\n  web:\n    image: a\n    x-svc: 1\n    deploy:\n      x-d: 1\n      resources:\n        x-r: 1\n    ports:\n      - target: 80\n        x-p: 1\nnetworks:\n  n:\n    x-n: 1\nvolumes:\n  v:\n    x-v: 1\nsecrets:\n  s:\n    file: ./s\n    x-s: 1\n')).not.to.throw();
  });

  it('reports a service name the spec does not allow', () => {
    expect(loadError(() => loadCompose('services:\n  "my web":\n    image: a\n'))).to.equal('compose.yaml:2: "my web" is not a valid name under services: use only letters, digits, ".", "_" and "-".');
  });

  it('refuses an empty file', () => {
    expect(loadError(() => loadCompose('# nothing yet\n'))).to.equal('compose.yaml:1: the compose file is empty. Add a `services:` section, or leave the file out.');
  });

  it('reports a wrong type with the path and what was found', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n    deploy:\n      replicas: true\n'))).to.equal(
      'compose.yaml:5: services.web.deploy.replicas must be an integer or a string, not the boolean true.',
    );
    expect(loadError(() => loadCompose('services:\n  web:\n    image: [a]\n'))).to.equal('compose.yaml:3: services.web.image must be a string, not a list.');
  });

  it('reports a value outside an enumeration', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n    depends_on:\n      db:\n        condition: healthy\n  db:\n    image: b\n'))).to.equal(
      'compose.yaml:6: services.web.depends_on.db.condition must be one of "service_started", "service_healthy", "service_completed_successfully", not "healthy".',
    );
  });

  it('reports a missing required key', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n    volumes:\n      - target: /x\n'))).to.equal('compose.yaml:5: services.web.volumes[0] is missing the required key "type".');
  });

  it('accepts a ${VAR} where the schema wants a number, then checks the value', () => {
    expect(loadCompose('services:\n  web:\n    image: a\n    deploy:\n      replicas: ${N}\n', { env: { N: '4' } }).services.web!.deploy!.replicas).to.equal(4);
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n    deploy:\n      replicas: ${N}\n', { env: { N: 'four' } }))).to.equal(
      'compose.yaml:5: services.web.deploy.replicas must be an integer, not the string "four".',
    );
  });

  it('proposes a suggestion only when it is close', () => {
    expect(closest('imgae', ['image', 'init'])).to.equal('image');
    expect(closest('completely', ['image', 'init'])).to.equal(undefined);
  });
});
