import { expect } from 'chai';
import { loadCompose } from './helpers.js';

describe('determinism', () => {
  it('gives the same project whatever the key order of the file', () => {
    const a = loadCompose('services:\n  web:\n    image: a\n    ports: ["80:80"]\n    environment: {A: "1"}\n  db:\n    image: b\nvolumes:\n  v1: {}\n  v0: {}\n');
    const b = loadCompose('volumes:\n  v0: {}\n  v1: {}\nservices:\n  db:\n    image: b\n  web:\n    environment: {A: "1"}\n    ports: ["80:80"]\n    image: a\n');
    const withoutOrigins = (_k: string, v: unknown) => (_k === 'origin' ? undefined : v);
    expect(JSON.stringify(a, withoutOrigins)).to.equal(JSON.stringify(b, withoutOrigins));
  });

  it('sorts services and top-level resources by name', () => {
    const p = loadCompose('services:\n  zeta:\n    image: a\n  alpha:\n    image: b\nnetworks:\n  z: {}\n  a: {}\n');
    expect(Object.keys(p.services)).to.deep.equal(['alpha', 'zeta']);
    expect(Object.keys(p.networks)).to.deep.equal(['a', 'default', 'z']);
  });
});
