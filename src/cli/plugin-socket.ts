/**
 * The Docker CLI plugin socket. docker runs a plugin with `DOCKER_CLI_PLUGIN_SOCKET` and, when its
 * own output is not a terminal, does not pass a SIGINT/SIGTERM on: it closes that socket and
 * expects the plugin to stop when its connection reaches EOF (docker/cli `cli-plugins/socket`,
 * `ConnectAndWait`; docker kills the plugin on the third signal). EOF is reported through
 * `onClose`, which the interrupt mechanism treats exactly as Ctrl-C.
 *
 * The address: on Linux an abstract socket, written `@name` (Go's notation) and reached at
 * `\0name` with the exact address length; elsewhere a file system path. Node's libuv before 1.48
 * (Node 20) connects to abstract names with the full 108-byte `sun_path`, trailing NULs included,
 * which is another name (ECONNREFUSED), so there a small perl (or python3) process holds the
 * connection for us and exits 0 at EOF. Best effort: when neither can connect, signals that reach
 * us directly still work, and docker's third signal still ends us.
 *
 * Neither the socket nor the helper keeps the process alive (unref), and the helper is ended when
 * we exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

export interface PluginSocket {
  close(): void;
}

/** Waits on the helper's connection until EOF (exit 0); exit 3 when it cannot connect. */
const PERL = 'use Socket; socket(my $s, PF_UNIX, SOCK_STREAM, 0) or exit 3; connect($s, pack_sockaddr_un("\\0" . $ARGV[0])) or exit 3; my $b; 1 while sysread($s, $b, 1); exit 0;';
const PYTHON = 'import socket,sys\ns=socket.socket(socket.AF_UNIX,socket.SOCK_STREAM)\ntry:\n s.connect("\\0"+sys.argv[1])\nexcept OSError:\n sys.exit(3)\nwhile s.recv(1): pass\n';

/** Whether this Node's libuv connects to Linux abstract names with their exact length (libuv PR #4266, 1.48). */
export function nativeAbstractConnect(uvVersion: string = process.versions.uv ?? '0.0.0'): boolean {
  const [major = 0, minor = 0] = uvVersion.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 48);
}

export function connectPluginSocket(
  onClose: () => void,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): PluginSocket | undefined {
  const address = env.DOCKER_CLI_PLUGIN_SOCKET;
  if (!address) return undefined;
  const abstract = platform === 'linux' && address.startsWith('@');
  if (abstract && !nativeAbstractConnect()) return helperConnection(address.slice(1), onClose);
  return nodeConnection(abstract ? `\0${address.slice(1)}` : address, onClose);
}

function nodeConnection(path: string, onClose: () => void): PluginSocket {
  let closing = false;
  let connected = false;
  const socket = connect({ path });
  socket.on('connect', () => {
    connected = true;
  });
  socket.on('data', () => undefined); // docker writes nothing; reading keeps EOF observable
  socket.on('end', () => {
    if (!closing) onClose();
  });
  // a refused or broken connection is not an interrupt: the plugin just goes on without it
  socket.on('error', () => undefined);
  socket.on('close', () => {
    if (connected && !closing && !socket.readableEnded) onClose();
  });
  socket.unref();
  return {
    close() {
      closing = true;
      socket.destroy();
    },
  };
}

function helperConnection(name: string, onClose: () => void): PluginSocket {
  let closing = false;
  let child: ChildProcess | undefined;
  const start = (program: string, args: string[], next?: () => void): void => {
    const c = spawn(program, args, { stdio: 'ignore' });
    child = c;
    c.on('error', () => {
      // not installed: try the next helper
      if (!closing && next) next();
    });
    c.on('exit', (code) => {
      // 0 is EOF; a helper ended by a signal (Ctrl-C reaches the whole process group) is not
      if (code === 0 && !closing) onClose();
    });
    c.unref();
  };
  start('perl', ['-e', PERL, name], () => start('python3', ['-c', PYTHON, name]));
  const endHelper = (): void => {
    closing = true;
    if (child && child.exitCode === null && child.signalCode === null) child.kill();
  };
  process.once('exit', endHelper);
  return {
    close() {
      process.off('exit', endHelper);
      endHelper();
    },
  };
}
