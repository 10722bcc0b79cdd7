import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { Interrupts, type InterruptProcess } from '../../src/aws/interrupt.js';

class FakeProcess extends EventEmitter {
  exits: number[] = [];
  exit = ((code: number) => {
    this.exits.push(code);
  }) as InterruptProcess['exit'];
}

function setUp() {
  const proc = new FakeProcess();
  let closeSocket: (() => void) | undefined;
  let connects = 0;
  const interrupts = new Interrupts(proc as unknown as InterruptProcess, (onClose) => {
    connects++;
    closeSocket = onClose;
    return { close: () => undefined };
  });
  // the connector runs a tick later (main.ts imports the socket module lazily)
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    proc,
    interrupts,
    eof: async () => {
      await settle();
      closeSocket!();
    },
    connects: async () => {
      await settle();
      return connects;
    },
  };
}

describe('interrupts: Ctrl-C, SIGTERM and the plugin socket are one mechanism', () => {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    it(`${signal} while watching aborts the signal and does not exit; a second one exits 130 at once`, () => {
      const { proc, interrupts } = setUp();
      const watch = interrupts.watch();
      proc.emit(signal);
      expect(watch.signal.aborted).to.equal(true);
      expect(proc.exits).to.deep.equal([]);
      proc.emit(signal);
      expect(proc.exits).to.deep.equal([130]);
    });
  }

  it('EOF on the plugin socket is Ctrl-C: it aborts the watch', async () => {
    const { proc, interrupts, eof } = setUp();
    const watch = interrupts.watch();
    await eof();
    expect(watch.signal.aborted).to.equal(true);
    expect(proc.exits).to.deep.equal([]);
    // a signal after that is the second interrupt
    proc.emit('SIGTERM');
    expect(proc.exits).to.deep.equal([130]);
  });

  it('EOF after a signal is the same interrupt passed on by docker, not a second one', async () => {
    const { proc, interrupts, eof } = setUp();
    const watch = interrupts.watch();
    proc.emit('SIGINT');
    await eof();
    expect(watch.signal.aborted).to.equal(true);
    expect(proc.exits).to.deep.equal([]);
  });

  it('with nothing watching, an interrupt exits 130 at once', async () => {
    const { proc, interrupts, eof } = setUp();
    interrupts.connectSocket();
    await eof();
    expect(proc.exits).to.deep.equal([130]);
    const w = interrupts.watch();
    w.dispose();
    proc.emit('SIGINT');
    expect(proc.exits).to.deep.equal([130, 130]);
  });

  it('watching connects the socket at once, and only once', async () => {
    const { interrupts, connects } = setUp();
    expect(await connects()).to.equal(0);
    interrupts.watch();
    interrupts.watch();
    interrupts.connectSocket();
    expect(await connects()).to.equal(1);
  });

  it('uninstall removes its signal handlers', () => {
    const { proc, interrupts } = setUp();
    interrupts.uninstall();
    expect(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM')).to.equal(0);
  });
});
