import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { stdoutWriter } from '../../src/ui/stdout.js';

/** A stdout stand-in whose buffer is full until drained. */
class FakeStdout extends EventEmitter {
  chunks: string[] = [];
  full = false;
  write(text: string): boolean {
    this.chunks.push(text);
    return !this.full;
  }
}

describe('logs output', () => {
  it('waits for drain when stdout is full, so a slow reader slows the reading', async () => {
    const out = new FakeStdout();
    const writer = stdoutWriter(new AbortController().signal, out as unknown as NodeJS.WritableStream);
    out.full = true;
    let done = false;
    const pending = Promise.resolve(writer.write('a\n')).then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).to.equal(false);
    out.emit('drain');
    await pending;
    expect(done).to.equal(true);
    expect(out.chunks).to.deep.equal(['a\n']);
  });

  it('ends like Ctrl-C when the reader goes away (EPIPE), and writes nothing more', () => {
    const out = new FakeStdout();
    const writer = stdoutWriter(new AbortController().signal, out as unknown as NodeJS.WritableStream);
    out.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(writer.signal.aborted).to.equal(true);
    writer.write('late\n');
    expect(out.chunks).to.deep.equal([]);
  });

  it('aborts its signal when the interrupt signal aborts', () => {
    const stop = new AbortController();
    const writer = stdoutWriter(stop.signal, new FakeStdout() as unknown as NodeJS.WritableStream);
    stop.abort();
    expect(writer.signal.aborted).to.equal(true);
  });
});
