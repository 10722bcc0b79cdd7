import { expect } from 'chai';
import { loadProject } from './helpers.js';

function merge(base: string, override: string) {
  return loadProject({ 'a.yaml': base, 'b.yaml': override }, { files: ['a.yaml', 'b.yaml'] }).services.web!;
}

describe('!reset and !override', () => {
  it('!reset removes a value set by an earlier file', () => {
    const web = merge('services:\n  web:\n    image: a\n    ports: ["80:80"]\n    user: root\n', 'services:\n  web:\n    ports: !reset []\n    user: !reset null\n');
    expect(web.ports).to.equal(undefined);
    expect(web.user).to.equal(undefined);
  });

  it('!reset on one key leaves the others merged', () => {
    const web = merge('services:\n  web:\n    image: a\n    environment: {A: "1", B: "2"}\n', 'services:\n  web:\n    environment:\n      A: !reset\n      C: "3"\n');
    expect(web.environment).to.deep.equal({ B: '2', C: '3' });
  });

  it('!override replaces a mapping or list instead of merging into it', () => {
    const web = merge('services:\n  web:\n    image: a\n    ports: ["80:80", "81:81"]\n    labels: {a: "1"}\n', 'services:\n  web:\n    ports: !override ["82:82"]\n    labels: !override {b: "2"}\n');
    expect(web.ports!.map((p) => p.target)).to.deep.equal([82]);
    expect(web.labels).to.deep.equal({ b: '2' });
  });

  it('normalises the short syntax inside an !override value', () => {
    const web = merge('services:\n  web:\n    image: a\n    environment: {A: "1"}\n', 'services:\n  web:\n    environment: !override\n      - B=2\n');
    expect(web.environment).to.deep.equal({ B: '2' });
  });

  it('!reset in an extending service drops what the base set', () => {
    const p = loadProject({ 'compose.yaml': 'services:\n  base:\n    image: a\n    ports: ["80:80"]\n  web:\n    extends: base\n    ports: !reset []\n' });
    expect(p.services.web!.ports).to.equal(undefined);
    expect(p.services.base!.ports).to.have.length(1);
  });
});
