/**
 * Hostile input through the built CLI (`node dist/cli/main.js`, as docker runs it): standard
 * input of every kind, terminal-safe messages. Reproducers from issue #20.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { repoRoot } from '../compose/helpers.js';

const MAIN = join(repoRoot, 'dist', 'cli', 'main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the plugin with `stdin` written after `delayMs` (a slow pipe), or a file descriptor. */
function plugin(args: string[], o: { cwd: string; stdin?: string; delayMs?: number; stdinFd?: number }): Promise<Run> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: o.cwd,
      env: { PATH: process.env.PATH, HOME: o.cwd, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: [o.stdinFd ?? 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    if (o.stdinFd === undefined) {
      setTimeout(() => {
        child.stdin!.end(o.stdin ?? '');
      }, o.delayMs ?? 0);
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe('hostile input through the CLI', function () {
  this.timeout(60_000);
  let dir: string;
  before(function () {
    if (!existsSync(MAIN)) {
      console.log('    (skipped: dist/cli/main.js is not built; run node scripts/build.mjs)');
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'hostile-cli-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('reads -f - from a pipe whose writer starts late (it failed with EAGAIN)', async () => {
    const r = await plugin(['compose', '-p', 'slow', '-f', '-', 'convert'], { cwd: dir, stdin: 'services:\n  web:\n    image: nginx\n', delayMs: 1200 });
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.stdout).to.include('AWS::ECS::Service');
  });

  it('stops reading -f - < /dev/zero at the 10 MiB limit with a sentence', async () => {
    const { openSync, closeSync } = await import('node:fs');
    const fd = openSync('/dev/zero', 'r');
    try {
      const r = await plugin(['compose', '-p', 'zero', '-f', '-', 'convert'], { cwd: dir, stdinFd: fd });
      expect(r.code).to.equal(1);
      expect(r.stderr).to.equal('the compose file on standard input is more than the 10 MiB limit for compose files; it was not read further. Check what is piped or redirected into -f -.\n');
    } finally {
      closeSync(fd);
    }
  });

  it('reads -f - from a regular file', async () => {
    const file = join(dir, 'in.yaml');
    writeFileSync(file, 'services:\n  web:\n    image: nginx\n');
    const { openSync, closeSync } = await import('node:fs');
    const fd = openSync(file, 'r');
    try {
      const r = await plugin(['compose', '-p', 'file', '-f', '-', 'convert'], { cwd: dir, stdinFd: fd });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.include('AWS::ECS::Service');
    } finally {
      closeSync(fd);
    }
  });

  it('shows escape sequences, NUL, bidi overrides and newlines of user text escaped, on one line', async () => {
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    "\\e]2;pwned\\a\\e[2Jx\\0y\\u202Ez\\nw": 1\n');
    const r = await plugin(['compose', '-p', 'esc', 'convert'], { cwd: dir });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.equal('compose.yaml:4: services.web.\\x1b]2;pwned\\x07\\x1b[2Jx\\x00y\\u202ez\\nw is not a valid compose key; remove it, or prefix it with x- to keep it as an extension.\n');
    // eslint-disable-next-line no-control-regex
    expect(r.stderr).not.to.match(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
  });

  it('keeps a -p value with a newline on one line', async () => {
    writeFileSync(join(dir, 'ok.yaml'), 'services:\n  web:\n    image: nginx\n');
    const r = await plugin(['compose', '-p', 'a\nb', '-f', 'ok.yaml', 'convert'], { cwd: dir });
    expect(r.code).to.equal(1);
    expect(r.stderr.trimEnd().split('\n')).to.have.length(1);
    expect(r.stderr).to.include('"a\\nb"');
  });
});
