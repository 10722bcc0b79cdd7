/** The failures the issue lists: each is one line with file:line, and a UserError (exit 1, no stack). */
import { expect } from 'chai';
import { UserError } from '../../src/errors.js';
import { loadCompose, loadError, loadProject } from './helpers.js';

describe('load errors', () => {
  it('malformed YAML', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    image: nginx\n   ports: ["80"]\n'))).to.equal(
      'compose.yaml:4: invalid YAML: all mapping items must start at the same column. Fix the YAML syntax at that line.',
    );
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n    image: b\n'))).to.equal('compose.yaml:4: invalid YAML: map keys must be unique. "image" is also on line 3: remove one of them.');
  });

  it('a top level that is not a mapping', () => {
    expect(loadError(() => loadCompose('- web\n- db\n'))).to.equal(
      'compose.yaml:1: the top level must be a mapping of compose keys (services, networks, volumes, ...), not a list. Start the file with `services:`.',
    );
  });

  it('a wrong type', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n    ports: "80:80"\n'))).to.equal('compose.yaml:4: services.web.ports must be a list, not the string "80:80".');
  });

  it('an unknown key', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n    enviroment: [A=1]\n'))).to.equal('compose.yaml:4: services.web.enviroment is not a valid compose key; did you mean "environment"?');
  });

  it('a missing env_file', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n    env_file: .env.web\n'))).to.equal(
      'compose.yaml:4: services.web.env_file names .env.web, which does not exist. Create the file, or mark the entry `required: false`.',
    );
  });

  it('a missing extends target', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    extends: base\n'))).to.equal('compose.yaml:3: services.web extends service "base", which is not defined in this file. Fix the name in extends.service.');
  });

  it('an include cycle', () => {
    expect(loadError(() => loadProject({ 'compose.yaml': 'include:\n  - compose.yaml\n' }))).to.equal('compose.yaml:2: include cycle: compose.yaml -> compose.yaml. Remove one of these includes.');
  });

  it('an unset ${VAR:?msg}', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    image: app:${TAG:?pass TAG=<version>}\n'))).to.equal(
      'compose.yaml:3: required variable TAG is missing a value for services.web.image: pass TAG=<version>. Set TAG in the environment or in the .env file.',
    );
  });

  it('every one of them is a UserError with a file and line, on one line', () => {
    const failures = [
      () => loadCompose('a: [\n'),
      () => loadCompose('services:\n  web:\n    imgae: a\n'),
      () => loadCompose('services:\n  web:\n    image: ${X:?}\n'),
    ];
    for (const f of failures) {
      try {
        f();
        expect.fail('should have thrown');
      } catch (e) {
        expect(e).to.be.instanceOf(UserError);
        const u = e as UserError;
        expect(u.where?.file).to.equal('compose.yaml');
        expect(u.where?.line).to.be.a('number');
        expect(u.display()).not.to.include('\n');
      }
    }
  });
});
