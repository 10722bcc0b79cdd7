import { expect } from 'chai';
import { loadCompose, loadError, loadProject } from './helpers.js';

describe('environment and env_file', () => {
  it('reads the list form, splitting on the first =', () => {
    const p = loadCompose('services:\n  web:\n    image: a\n    environment:\n      - A=1\n      - B=x=y\n      - EMPTY=\n');
    expect(p.services.web!.environment).to.deep.equal({ A: '1', B: 'x=y', EMPTY: '' });
  });

  it('reads the map form, turning numbers and booleans into strings', () => {
    const p = loadCompose('services:\n  web:\n    image: a\n    environment:\n      N: 1.5\n      T: true\n      S: text\n');
    expect(p.services.web!.environment).to.deep.equal({ N: '1.5', T: 'true', S: 'text' });
  });

  it('takes a key without value from the environment, or leaves it null', () => {
    const p = loadCompose('services:\n  web:\n    image: a\n    environment:\n      - FROM_SHELL\n      - UNSET\n    labels:\n      x: ""\n', { env: { FROM_SHELL: 'shell' } });
    expect(p.services.web!.environment).to.deep.equal({ FROM_SHELL: 'shell', UNSET: null });
  });

  it('reads env_file as a string, a list and the long form, environment winning', () => {
    const p = loadProject({
      'compose.yaml': 'services:\n  a:\n    image: x\n    env_file: a.env\n  b:\n    image: x\n    env_file: [a.env, b.env]\n    environment:\n      SHARED: inline\n',
      'a.env': 'SHARED=a\nONLY_A=1\n',
      'b.env': 'SHARED=b\nONLY_B=2\n',
    });
    expect(p.services.a!.environment).to.deep.equal({ SHARED: 'a', ONLY_A: '1' });
    expect(p.services.b!.environment).to.deep.equal({ SHARED: 'inline', ONLY_A: '1', ONLY_B: '2' });
    expect(p.services.b!.env_file).to.deep.equal([{ path: '/project/a.env', required: true }, { path: '/project/b.env', required: true }]);
  });

  it('lets a valueless key keep the env_file value unless the environment has one', () => {
    const files = { 'compose.yaml': 'services:\n  web:\n    image: a\n    env_file: web.env\n    environment: [A, B]\n', 'web.env': 'A=file\nB=file\n' };
    expect(loadProject(files, { env: { B: 'shell' } }).services.web!.environment).to.deep.equal({ A: 'file', B: 'shell' });
  });

  it('takes the values of a format: raw env_file verbatim', () => {
    const p = loadProject({ 'compose.yaml': 'services:\n  web:\n    image: a\n    env_file:\n      - path: raw.env\n        format: raw\n', 'raw.env': 'Q="quoted" # kept\nD=$HOME\n' });
    expect(p.services.web!.environment).to.deep.equal({ Q: '"quoted" # kept', D: '$HOME' });
  });

  it('skips a missing env_file marked required: false', () => {
    const p = loadCompose('services:\n  web:\n    image: a\n    env_file:\n      - path: ./missing.env\n        required: false\n    environment: [A=1]\n');
    expect(p.services.web!.environment).to.deep.equal({ A: '1' });
  });

  it('reads label_file entries under labels, labels in the file winning', () => {
    const p = loadProject({ 'compose.yaml': 'services:\n  web:\n    image: a\n    label_file: [a.labels]\n    labels: {team: web}\n', 'a.labels': 'team=infra\ntier=front\n' });
    expect(p.services.web!.labels).to.deep.equal({ team: 'web', tier: 'front' });
  });

  it('names the file and line of a missing env_file', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n    env_file:\n      - ./web.env\n'))).to.equal(
      'compose.yaml:5: services.web.env_file names web.env, which does not exist. Create the file, or mark the entry `required: false`.',
    );
  });
});
