import { expect } from 'chai';
import { loadCompose, loadError } from './helpers.js';

describe('depends_on', () => {
  it('reads the list form as service_started, required', () => {
    const p = loadCompose('services:\n  web:\n    image: a\n    depends_on: [db]\n  db:\n    image: b\n');
    expect(p.services.web!.depends_on).to.deep.equal({ db: { condition: 'service_started', required: true, restart: false } });
  });

  it('reads the map form with conditions, required and restart', () => {
    const p = loadCompose('services:\n  web:\n    image: a\n    depends_on:\n      db:\n        condition: service_healthy\n        restart: true\n      migrate:\n        condition: service_completed_successfully\n        required: false\n  db:\n    image: b\n  migrate:\n    image: c\n');
    expect(p.services.web!.depends_on).to.deep.equal({
      db: { condition: 'service_healthy', required: true, restart: true },
      migrate: { condition: 'service_completed_successfully', required: false, restart: false },
    });
  });

  it('refuses a dependency on a service that does not exist', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n    depends_on: [cache]\n'))).to.equal(
      'compose.yaml:4: services.web.depends_on.cache refers to service "cache", which is not defined. Declare it under the top-level services key.',
    );
  });

  it('refuses a cycle and prints it', () => {
    expect(loadError(() => loadCompose('services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [c]\n  c:\n    image: x\n    depends_on: [a]\n'))).to.equal(
      'compose.yaml:2: services.a depends on itself through a cycle: a -> b -> c -> a. Remove one of these depends_on entries.',
    );
  });

  it('refuses a service that depends on itself', () => {
    expect(loadError(() => loadCompose('services:\n  a:\n    image: x\n    depends_on: [a]\n'))).to.match(/services\.a depends on itself through a cycle: a -> a\./);
  });
});
