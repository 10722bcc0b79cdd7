import { expect } from 'chai';
import { loadError, loadProject } from './helpers.js';

describe('extends', () => {
  it('starts from a service in the same file and merges the extending service over it', () => {
    const p = loadProject({ 'compose.yaml': 'services:\n  base:\n    image: a\n    environment: [A=1, B=2]\n    ports: ["80:80"]\n  web:\n    extends: base\n    environment:\n      B: override\n    ports: ["81:81"]\n' });
    expect(p.services.web).to.deep.include({ image: 'a', environment: { A: '1', B: 'override' }, extends: { service: 'base' } });
    expect(p.services.web!.ports!.map((x) => x.target)).to.deep.equal([80, 81]);
  });

  it('follows chains of extends', () => {
    const p = loadProject({ 'compose.yaml': 'services:\n  a:\n    image: a\n    user: u\n  b:\n    extends: a\n    hostname: h\n  c:\n    extends:\n      service: b\n    image: c\n' });
    expect(p.services.c).to.deep.include({ image: 'c', user: 'u', hostname: 'h' });
  });

  it('reads a service from another file, resolving its relative paths against that file', () => {
    const p = loadProject({
      'compose.yaml': 'services:\n  web:\n    extends:\n      file: common/base.yaml\n      service: app\n    volumes: ["./local:/local"]\n',
      'common/base.yaml': 'services:\n  app:\n    build: ./src\n    env_file: app.env\n    volumes: ["./data:/data"]\n',
      'common/app.env': 'FROM=base\n',
    });
    const web = p.services.web!;
    expect(web.build!.context).to.equal('/project/common/src');
    expect(web.environment).to.deep.equal({ FROM: 'base' });
    expect(web.volumes!.map((v) => v.source)).to.deep.equal(['/project/common/data', '/project/local']);
    expect(web.extends).to.deep.equal({ service: 'app', file: '/project/common/base.yaml' });
  });

  it('reads extends.file relative to the project directory in the project files, and to the base file inside it', () => {
    const p = loadProject({
      'compose.yaml': 'services:\n  web:\n    image: a\n',
      'sub/override.yaml': 'services:\n  web:\n    extends:\n      file: common/one.yaml\n      service: one\n',
      'common/one.yaml': 'services:\n  one:\n    extends:\n      file: two.yaml\n      service: two\n    hostname: one\n',
      'common/two.yaml': 'services:\n  two:\n    image: two\n    user: two\n',
    }, { files: ['compose.yaml', 'sub/override.yaml'] });
    expect(p.services.web).to.deep.include({ image: 'two', user: 'two', hostname: 'one' });
  });

  it('names the base file and line when a value inherited from it is wrong', () => {
    expect(loadError(() => loadProject({
      'compose.yaml': 'services:\n  web:\n    extends:\n      file: base.yaml\n      service: app\n',
      'base.yaml': 'services:\n  app:\n    image: a\n    stop_grace_period: ${GRACE}\n',
    }, { env: { GRACE: 'soon' } }))).to.equal('base.yaml:4: services.web.stop_grace_period must be a duration such as 30s, 1m30s or 500ms, not the string "soon".');
  });

  it('does not change the base service', () => {
    const p = loadProject({ 'compose.yaml': 'services:\n  base:\n    image: a\n    labels: {a: "1"}\n  web:\n    extends: base\n    labels: {b: "2"}\n' });
    expect(p.services.base!.labels).to.deep.equal({ a: '1' });
  });

  it('refuses a cycle and prints it', () => {
    expect(loadError(() => loadProject({ 'compose.yaml': 'services:\n  a:\n    image: x\n    extends: b\n  b:\n    extends: c\n  c:\n    extends: a\n' }))).to.equal(
      'compose.yaml:4: services.a extends itself through a cycle: a -> b -> c -> a. Remove one of these extends.',
    );
  });

  it('names a missing base service', () => {
    expect(loadError(() => loadProject({ 'compose.yaml': 'services:\n  web:\n    image: x\n    extends:\n      service: bsae\n' }))).to.equal(
      'compose.yaml:5: services.web extends service "bsae", which is not defined in this file. Fix the name in extends.service.',
    );
  });

  it('names a missing extends file', () => {
    expect(loadError(() => loadProject({ 'compose.yaml': 'services:\n  web:\n    extends:\n      file: nope.yaml\n      service: app\n' }))).to.equal(
      'compose.yaml:4: services.web extends a service from nope.yaml, which does not exist. Fix the path in extends.file.',
    );
  });

  it('names a base service missing from another file', () => {
    expect(loadError(() => loadProject({ 'compose.yaml': 'services:\n  web:\n    extends:\n      file: base.yaml\n      service: app\n', 'base.yaml': 'services:\n  other:\n    image: x\n' }))).to.equal(
      'compose.yaml:5: services.web extends service "app", which is not defined in base.yaml. Fix the name in extends.service.',
    );
  });
});
