// Files from the project folder, tmpfs and an environment: secret through the real docker CLI and
// the simulator: `up` deploys them (the simulator rejects what AWS rejects), the task definition
// carries the file content for its init container, and the secret value only as a parameter.
import { expect } from 'chai';
import { startRig, stackNamed, writeProject, CRASH, type Rig } from '../reliability/harness.js';

const COMPOSE = `services:
  web:
    image: nginx
    read_only: true
    tmpfs: [/tmp, /var/cache/nginx, /run]
    ports: ["80:80"]
    volumes:
      - ./nginx/default.conf:/etc/nginx/conf.d/default.conf:ro
      - ./data:/data
      - /etc/localtime:/etc/localtime:ro
    configs:
      - source: motd
        target: /etc/motd.d/hello
    secrets: [key]
configs:
  motd: { content: "hi" }
secrets:
  key: { environment: API_KEY }
`;

describe('project files, tmpfs and environment secrets through docker and the simulator', function () {
  this.timeout(120_000);
  let rig: Rig;
  let up: Awaited<ReturnType<Rig['docker']>>;
  before(async () => {
    rig = await startRig();
    const dir = writeProject(rig, 'files', { 'compose.yaml': COMPOSE, 'nginx/default.conf': 'server { listen 80; }\n' });
    up = await rig.docker(['ecs', 'compose', 'up', '--progress', 'plain'], { cwd: dir, env: { API_KEY: 'k3y-value-e2e' } });
  });
  after(async () => {
    await rig?.stop();
  });

  it('up succeeds, saying the data folder starts empty and the time zone file is left out', () => {
    expect(up.code, up.stderr).to.equal(0);
    expect(up.stderr).to.not.match(CRASH);
    expect(up.stderr).to.match(/\.\/data at \/data is a data folder: on AWS it is the EFS volume data_data, kept on down, which starts empty/);
    expect(up.stderr).to.match(/the bind mount of \/etc\/localtime is left out/);
    expect(up.stderr + up.stdout).to.not.include('k3y-value-e2e');
  });

  it('the stack holds the writer and seed init containers, the file content and an EFS file system for the data folder', async () => {
    expect(await stackNamed(rig, 'files'), 'stack').to.not.equal(undefined);
    const create = (await rig.sim.calls()).filter((c) => c.operation === 'CreateStack');
    expect(create).to.have.length(1);
    const text = JSON.stringify(create[0]!.params);
    expect(text).to.include('Web_Storage_InitContainer');
    expect(text).to.include('Web_Seed_InitContainer');
    expect(text).to.include(Buffer.from('server { listen 80; }\n').toString('base64'));
    expect(text).to.include('DatadataFilesystem');
    expect(JSON.stringify(create[0]!.params.Parameters)).to.include('k3y-value-e2e');
  });
});
