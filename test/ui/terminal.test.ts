import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const fixture = fileURLToPath(new URL('./fixtures/up-in-terminal.ts', import.meta.url));
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const session = `docker-ecs-ui-${process.pid}`;

function screen(): string {
  return execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
}

describe('up in a real terminal (tmux)', function () {
  this.timeout(90_000);
  after(() => {
    spawnSync('tmux', ['kill-session', '-t', session]);
  });

  it('draws the Ink view on an 80-column terminal and leaves the final frame and the endpoint on screen', async function () {
    if (!hasTmux) this.skip();
    const cmd = `cd ${JSON.stringify(process.cwd())} && node --import tsx ${JSON.stringify(fixture)}; sleep 120`;
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '80', '-y', '40', cmd]);
    let text = '';
    for (let i = 0; i < 600 && !/EXIT=\d/.test(text); i++) {
      await new Promise((r) => setTimeout(r, 100));
      text = screen();
    }
    expect(text).to.include('EXIT=0');
    expect(text).to.match(/✔ Creating demo\s+create complete/);
    expect(text).to.match(/^ web$/m);
    expect(text).to.match(/✔ WebService\s+ECS::Service\s+create complete/);
    expect(text).to.match(/tasks 2\/2 running, 0 pending, 0 failed · rollout completed/);
    expect(text).to.match(/^ project$/m);
    expect(text).to.match(/^http:\/\/demo-LoadBalancer-[A-Z0-9]+-\d+\.us-east-1\.elb\.amazonaws\.com:80$/m);
    for (const line of text.split('\n')) expect(line.length).to.be.at.most(80);
  });
});
