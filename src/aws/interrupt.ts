/**
 * Interrupts, one mechanism for the whole process. Three things mean "the user wants this to
 * stop": Ctrl-C (SIGINT), SIGTERM, and docker closing the plugin socket, which is how docker
 * passes a signal on when its output is not a terminal (src/cli/plugin-socket.ts).
 *
 * - While a command watches (`watchInterrupts`: up, down, logs -f), the first interrupt aborts
 *   the signal it was handed: up and down stop watching and throw `Interrupted` (exit 130),
 *   logs stops following. Nothing is cancelled or deleted in AWS.
 * - A second signal exits 130 at once, for a user who does not want to wait for the last message.
 * - With nothing watching, an interrupt exits 130 at once, as Ctrl-C does by default.
 * - The socket's EOF after a signal is that same interrupt passed on by docker, not a second one.
 */
export interface InterruptWatch {
  signal: AbortSignal;
  dispose(): void;
}

export type InterruptProcess = Pick<NodeJS.Process, 'on' | 'off' | 'exit'>;

/** Opens the plugin socket; calls `onClose` at its EOF. */
export type SocketConnector = (onClose: () => void) => PluginConnection | undefined | Promise<PluginConnection | undefined>;
interface PluginConnection {
  close(): void;
}

export class Interrupts {
  private readonly watchers = new Set<AbortController>();
  private interrupted = false;
  private socket: Promise<PluginConnection | undefined> | undefined;
  private socketOpened = false;
  private readonly onSignal = (): void => this.interrupt('signal');

  constructor(
    private readonly proc: InterruptProcess,
    private readonly connector?: SocketConnector,
  ) {
    proc.on('SIGINT', this.onSignal);
    proc.on('SIGTERM', this.onSignal);
  }

  /** Connects the plugin socket, once (watching connects at once; main.ts connects soon after start). */
  connectSocket(): void {
    if (this.socketOpened || !this.connector) return;
    this.socketOpened = true;
    // best effort: a connection that cannot be made leaves signals as the way to stop
    this.socket = Promise.resolve()
      .then(() => this.connector!(() => this.interrupt('socket')))
      .catch(() => undefined);
  }

  interrupt(origin: 'signal' | 'socket'): void {
    if (origin === 'socket' && this.interrupted) return;
    if (this.interrupted || this.watchers.size === 0) {
      this.proc.exit(130);
      return;
    }
    this.interrupted = true;
    for (const w of this.watchers) w.abort();
  }

  watch(): InterruptWatch {
    const controller = new AbortController();
    if (this.interrupted) controller.abort();
    this.watchers.add(controller);
    this.connectSocket();
    return { signal: controller.signal, dispose: () => void this.watchers.delete(controller) };
  }

  /** Removes the handlers and closes the socket (tests; the process simply exits). */
  uninstall(): void {
    this.proc.off('SIGINT', this.onSignal);
    this.proc.off('SIGTERM', this.onSignal);
    void this.socket?.then((s) => s?.close());
  }
}

let processInterrupts: Interrupts | undefined;

/** The process's one interrupt mechanism; main.ts installs it first thing, with the plugin socket. */
export function installInterrupts(connector?: SocketConnector): Interrupts {
  processInterrupts ??= new Interrupts(process, connector);
  return processInterrupts;
}

/** An AbortSignal that the next interrupt aborts; `dispose` when the watching is over. */
export function watchInterrupts(): InterruptWatch {
  return installInterrupts().watch();
}
