import { expect } from 'chai';
import { LogRenderer, formatTimestamp } from '../../src/ui/logs.js';
import type { LogEvent } from '../../src/aws/log-events.js';
import { parseStream } from '../../src/aws/log-events.js';
import { parseDuration, parseSince, parseTail } from '../../src/aws/log-time.js';
import { UserError } from '../../src/errors.js';

const T0 = Date.parse('2026-01-01T10:00:00.000Z');
const ev = (service: string, taskId: string, message: string, t = 0): LogEvent => ({ service, taskId, stream: `demo/${service}/${taskId}`, timestamp: T0 + t, message });
const TASK_A = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d';
const TASK_B = '99998888777766665555444433332222';

describe('logs formatting', () => {
  it('prefixes each line with the service and task, padded to the longest name plus one, as docker compose does', () => {
    const r = new LogRenderer({ color: false, prefix: true, timestamps: false, services: ['api', 'web'] });
    expect(r.render([ev('web', TASK_A, 'GET / 200'), ev('api', TASK_B, 'ready')])).to.equal('web-1a2b3c4d  | GET / 200\napi-99998888  | ready\n');
  });

  it('colours the prefix per service in docker compose order: cyan, then yellow', () => {
    const r = new LogRenderer({ color: true, prefix: true, timestamps: false, services: ['api', 'web'] });
    const out = r.render([ev('web', TASK_A, 'a'), ev('api', TASK_B, 'b'), ev('web', TASK_B, 'c')]);
    expect(out).to.equal(
      '\x1b[33mweb-1a2b3c4d  | \x1b[0ma\n' + '\x1b[36mapi-99998888  | \x1b[0mb\n' + '\x1b[33mweb-99998888  | \x1b[0mc\n',
    );
  });

  it('prints no escape codes without colour, and no prefix with --no-log-prefix', () => {
    const plain = new LogRenderer({ color: false, prefix: false, timestamps: false, services: ['web'] });
    expect(plain.render([ev('web', TASK_A, 'hello')])).to.equal('hello\n');
    const noColour = new LogRenderer({ color: false, prefix: true, timestamps: false, services: ['web'] });
    expect(noColour.render([ev('web', TASK_A, 'hello')])).to.not.include('\x1b[');
  });

  it('puts the timestamp after the prefix with -t', () => {
    const r = new LogRenderer({ color: false, prefix: true, timestamps: true, services: ['web'] });
    expect(r.render([ev('web', TASK_A, 'hello', 1234)])).to.equal('web-1a2b3c4d  | 2026-01-01T10:00:01.234000000Z hello\n');
    expect(formatTimestamp(T0)).to.equal('2026-01-01T10:00:00.000000000Z');
  });

  it('gives every line of a multi-line message its own prefix and drops a trailing newline', () => {
    const r = new LogRenderer({ color: false, prefix: true, timestamps: false, services: ['web'] });
    expect(r.render([ev('web', TASK_A, 'Traceback:\n  at x\n')])).to.equal('web-1a2b3c4d  | Traceback:\nweb-1a2b3c4d  |   at x\n');
  });

  it('widens the prefix when a service it did not know appears', () => {
    const r = new LogRenderer({ color: false, prefix: true, timestamps: false, services: ['web'] });
    const out = r.render([ev('web', TASK_A, 'a'), ev('scheduler', TASK_A, 'b'), ev('web', TASK_A, 'c')]);
    expect(out.split('\n')).to.deep.equal(['web-1a2b3c4d  | a', 'scheduler-1a2b3c4d  | b', 'web-1a2b3c4d        | c', '']);
  });

  it('reads the service and task from a stream named <project>/<service>/<task>', () => {
    expect(parseStream(`demo/web/${TASK_A}`, 'demo')).to.deep.equal({ service: 'web', taskId: TASK_A });
    expect(parseStream('other/web/x', 'demo')).to.deep.equal({ service: 'other/web/x', taskId: '' });
  });
});

describe('logs --since and --tail values', () => {
  const now = new Date(T0);
  it('reads Go durations such as 10m, 1h30m and 1.5h', () => {
    expect(parseSince('10m', now)).to.equal(T0 - 600_000);
    expect(parseSince('1h30m', now)).to.equal(T0 - 5_400_000);
    expect(parseDuration('1.5h')).to.equal(5_400_000);
    expect(parseDuration('250ms')).to.equal(250);
    expect(parseDuration('10')).to.equal(undefined);
  });

  it('reads RFC 3339 times with a zone or an offset, and Unix seconds', () => {
    expect(parseSince('2026-01-01T09:00:00Z', now)).to.equal(T0 - 3_600_000);
    expect(parseSince('2026-01-01T11:00:00.500+02:00', now)).to.equal(T0 - 3_600_000 + 500);
    expect(parseSince('1767258000', now)).to.equal(1767258000_000);
  });

  it('reads a date without a zone as local midnight, as docker does', () => {
    expect(parseSince('2026-01-01', now)).to.equal(new Date(2026, 0, 1).getTime());
  });

  it('refuses anything else with a sentence naming the value', () => {
    expect(() => parseSince('yesterday', now)).to.throw(UserError, /Invalid --since value "yesterday"/);
    expect(() => parseSince('10 m', now)).to.throw(UserError);
  });

  it('takes --tail all or a count', () => {
    expect(parseTail('all')).to.equal(undefined);
    expect(parseTail('0')).to.equal(0);
    expect(parseTail('25')).to.equal(25);
    expect(() => parseTail('-5')).to.throw(UserError, /Invalid --tail/);
  });
});
