import { expect } from 'chai';
import { withScale, withServices } from '../../src/cli/up-selection.js';
import { loadCompose, loadError } from '../compose/helpers.js';

const project = () =>
  loadCompose('services:\n  web:\n    image: w\n    depends_on: [api]\n  api:\n    image: a\n    depends_on: [db]\n  db:\n    image: d\n  worker:\n    image: k\n  debug:\n    image: b\n    profiles: [dbg]\n');

describe('up SERVICE... and up --scale', () => {
  it('keeps the named services and what they depend on, transitively', () => {
    const p = withServices(project(), ['web']);
    expect(Object.keys(p.services).sort()).to.deep.equal(['api', 'db', 'web']);
    expect(Object.keys(p.disabledServices).sort()).to.deep.equal(['debug', 'worker']);
  });

  it('sets the replicas of --scale and names an unknown or disabled service in one sentence', () => {
    expect(withScale(project(), [['web', 3]]).services.web!.deploy!.replicas).to.equal(3);
    expect(loadError(() => withScale(project(), [['nope', 1]]))).to.equal('--scale: no such service: nope; the project\'s services are api, db, web, worker.');
    expect(loadError(() => withServices(project(), ['debug']))).to.equal('up: service "debug" is disabled by its profiles (dbg); add --profile dbg.');
  });
});
