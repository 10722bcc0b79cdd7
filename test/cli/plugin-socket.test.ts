import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectPluginSocket, nativeAbstractConnect } from '../../src/cli/plugin-socket.js';

describe('the Docker CLI plugin socket (DOCKER_CLI_PLUGIN_SOCKET)', () => {
  let dir: string;
  let server: Server;
  let conns: Socket[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plugin-socket-'));
    conns = [];
    server = createServer((c) => conns.push(c));
    await new Promise<void>((resolve) => server.listen(join(dir, 'docker_cli_test'), resolve));
  });
  afterEach(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const connected = async () => {
    for (let i = 0; i < 100 && conns.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(conns, 'the plugin connected').to.have.length(1);
  };

  it('does nothing when docker did not set the variable', () => {
    expect(connectPluginSocket(() => undefined, {}, 'linux')).to.equal(undefined);
  });

  it('a path (macOS): connects, and calls back once when docker closes the connection', async () => {
    let closes = 0;
    const socket = connectPluginSocket(() => closes++, { DOCKER_CLI_PLUGIN_SOCKET: join(dir, 'docker_cli_test') }, 'darwin');
    await connected();
    expect(closes).to.equal(0);
    conns[0]!.end();
    for (let i = 0; i < 100 && closes === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(closes).to.equal(1);
    socket!.close();
  });

  it('closing it ourselves is not an interrupt', async () => {
    let closes = 0;
    const socket = connectPluginSocket(() => closes++, { DOCKER_CLI_PLUGIN_SOCKET: join(dir, 'docker_cli_test') }, 'darwin');
    await connected();
    socket!.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(closes).to.equal(0);
  });

  it('a socket nobody listens on is not an interrupt either', async () => {
    let closes = 0;
    connectPluginSocket(() => closes++, { DOCKER_CLI_PLUGIN_SOCKET: join(dir, 'nobody') }, 'darwin');
    await new Promise((r) => setTimeout(r, 50));
    expect(closes).to.equal(0);
  });

  it('connects to Linux abstract names natively only from libuv 1.48 (Node 20 has 1.46)', () => {
    expect(nativeAbstractConnect('1.46.0')).to.equal(false);
    expect(nativeAbstractConnect('1.48.0')).to.equal(true);
    expect(nativeAbstractConnect('2.0.0')).to.equal(true);
  });
});
