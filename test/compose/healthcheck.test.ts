import { expect } from 'chai';
import { loadCompose, loadError } from './helpers.js';

const hc = (body: string) => loadCompose(`services:\n  web:\n    image: a\n    healthcheck:\n${body}`).services.web!.healthcheck;

describe('healthcheck', () => {
  it('turns a string test into CMD-SHELL', () => {
    expect(hc('      test: curl -f http://localhost || exit 1\n')!.test).to.deep.equal(['CMD-SHELL', 'curl -f http://localhost || exit 1']);
  });

  it('keeps a CMD list as written', () => {
    expect(hc('      test: ["CMD", "pg_isready", "-U", "postgres"]\n')!.test).to.deep.equal(['CMD', 'pg_isready', '-U', 'postgres']);
  });

  it('reads durations in milliseconds and retries as a number', () => {
    expect(hc('      test: [CMD, "true"]\n      interval: 1m30s\n      timeout: 10s\n      retries: "3"\n      start_period: 500ms\n      start_interval: 2s\n')).to.deep.equal({
      test: ['CMD', 'true'], interval: 90_000, timeout: 10_000, retries: 3, start_period: 500, start_interval: 2000,
    });
  });

  it('reads disable: true and test NONE as disabled', () => {
    expect(hc('      disable: true\n')).to.deep.equal({ disable: true });
    expect(hc('      test: ["NONE"]\n')).to.deep.equal({ test: ['NONE'], disable: true });
  });

  it('refuses a list test that does not start with CMD, CMD-SHELL or NONE', () => {
    expect(loadError(() => hc('      test: ["curl", "-f", "x"]\n'))).to.equal(
      'compose.yaml:5: services.web.healthcheck.test must start with CMD, CMD-SHELL or NONE, not "curl". Write test: ["CMD", "curl", "-f", "http://localhost"] or a string for the shell.',
    );
  });

  it('refuses a duration without a unit after interpolation', () => {
    expect(loadError(() => hc('      interval: ${I}\n'), )).to.equal('compose.yaml:5: services.web.healthcheck.interval must be a duration such as 30s, 1m30s or 500ms, not the string "".');
  });
});
