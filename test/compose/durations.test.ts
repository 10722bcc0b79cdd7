import { expect } from 'chai';
import { parseDuration } from '../../src/compose/durations.js';
import { loadCompose, loadError } from './helpers.js';

describe('durations', () => {
  it('reads Go-style durations into milliseconds', () => {
    expect(['1m30s', '1h', '500ms', '1.5s', '2h45m', '10us', '0', '1h1m1s1ms'].map(parseDuration)).to.deep.equal([90_000, 3_600_000, 500, 1500, 9_900_000, 0.01, 0, 3_661_001]);
  });

  it('refuses numbers without units and unknown units', () => {
    expect(['10', '5 s', '1d', 's', ''].map(parseDuration)).to.deep.equal([undefined, undefined, undefined, undefined, undefined]);
  });

  it('reads stop_grace_period and deploy durations', () => {
    const p = loadCompose('services:\n  web:\n    image: a\n    stop_grace_period: 1m\n    deploy:\n      update_config:\n        delay: 10s\n        monitor: 1m\n      restart_policy:\n        window: 2m\n');
    expect(p.services.web!.stop_grace_period).to.equal(60_000);
    expect(p.services.web!.deploy!.update_config).to.deep.equal({ delay: 10_000, monitor: 60_000 });
    expect(p.services.web!.deploy!.restart_policy).to.deep.equal({ window: 120_000 });
  });

  it('names the key of an interpolated value that is not a duration', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n    stop_grace_period: ${T}\n', { env: { T: '10' } }))).to.equal(
      'compose.yaml:4: services.web.stop_grace_period must be a duration such as 30s, 1m30s or 500ms, not the string "10".',
    );
  });
});
