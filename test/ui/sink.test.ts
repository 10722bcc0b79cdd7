import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { chooseRenderer, createProgressSink } from '../../src/ui/sink.js';
import { failingCreate } from './helpers.js';

/** A stream that records what is written; a terminal when `isTTY`. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text(): string } {
  const chunks: string[] = [];
  const s = Object.assign(new EventEmitter(), {
    isTTY,
    columns: 80,
    rows: 40,
    write(chunk: string) {
      chunks.push(String(chunk));
      return true;
    },
    text: () => chunks.join(''),
  });
  return s as unknown as NodeJS.WriteStream & { text(): string };
}

const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

describe('progress sink', () => {
  it('uses the Ink view only on a terminal outside CI', () => {
    expect(chooseRenderer('auto', { isTTY: true, env: {} })).to.equal('tty');
    expect(chooseRenderer('auto', { isTTY: false, env: {} })).to.equal('plain');
    expect(chooseRenderer('auto', { isTTY: true, env: { CI: 'true' } })).to.equal('plain');
    expect(chooseRenderer('auto', { isTTY: true, env: { CI: 'false' } })).to.equal('tty');
    expect(chooseRenderer('auto', { isTTY: true, env: { TERM: 'dumb' } })).to.equal('plain');
    expect(chooseRenderer('plain', { isTTY: true, env: {} })).to.equal('plain');
    expect(chooseRenderer('json', { isTTY: true, env: {} })).to.equal('json');
  });

  it('writes plain lines to the given stream when it is not a terminal', async () => {
    const stream = fakeStream(false);
    const sink = await createProgressSink({ mode: 'auto', stream, env: {} });
    for (const e of failingCreate()) sink.emit(e);
    await sink.close();
    expect(stream.text().split('\n')[0]).to.equal('10:00:00 Creating stack demo (4 resources)');
  });

  it('draws the final state with Ink on a terminal when closed', async () => {
    const stream = fakeStream(true);
    const sink = await createProgressSink({ mode: 'tty', stream, env: {}, now: () => new Date(Date.parse('2026-01-01T10:00:30Z')) });
    for (const e of failingCreate()) sink.emit(e);
    await sink.close();
    const out = stripAnsi(stream.text());
    expect(out).to.include('✘ WebService');
    expect(out).to.include('ECS Deployment Circuit Breaker was triggered.');
  });
});
