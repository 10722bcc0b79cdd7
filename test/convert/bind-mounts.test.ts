import { expect } from 'chai';
import { container, convertYaml, idsOfType, props, refusal } from './helpers.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const named = (td: any, name: string) => td.ContainerDefinitions.find((c: { Name: string }) => c.Name === name);

describe('convert: bind mounts and configs from the project folder', () => {
  it('delivers a mounted file into the task: the writer decodes it into a volume at its folder, seeded from the image', () => {
    const { template, diagnostics } = convertYaml('services: { web: { image: nginx, volumes: ["./nginx/default.conf:/etc/nginx/conf.d/default.conf:ro"] } }', {
      files: { 'nginx/default.conf': 'server { listen 80; }\n' },
    });
    expect(diagnostics).to.deep.equal([]);
    const td = props(template, 'WebTaskDefinition');
    expect(td.Volumes).to.deep.equal([{ Name: 'files_0' }]);
    expect(container(template, 'web').MountPoints).to.deep.equal([{ ContainerPath: '/etc/nginx/conf.d', SourceVolume: 'files_0', ReadOnly: true }]);
    const seed = named(td, 'Web_Seed_InitContainer');
    expect(seed).to.deep.include({ Image: 'nginx', User: '0', Essential: false, EntryPoint: ['sh', '-c'] });
    expect(seed.Command).to.deep.equal(["set -eu\nif [ -d '/etc/nginx/conf.d' ]; then cp -a '/etc/nginx/conf.d/.' /mnt/seed/0/; fi"]);
    const writer = named(td, 'Web_Storage_InitContainer');
    expect(writer.Environment).to.deep.equal([{ Name: 'FILE_0_0', Value: b64('server { listen 80; }\n') }]);
    expect(writer.Command[2]).to.equal("set -eu\nprintf '%s' \"$FILE_0_0\" | base64 -d > '/mnt/files/0/default.conf'\nchmod 0644 '/mnt/files/0/default.conf'");
    expect(writer.DependsOn).to.deep.equal([{ ContainerName: 'Web_Seed_InitContainer', Condition: 'SUCCESS' }]);
    expect(container(template, 'web').DependsOn).to.deep.equal([{ ContainerName: 'Web_Storage_InitContainer', Condition: 'SUCCESS' }]);
  });

  it('delivers a folder with its files (sub-folders too), replacing the image folder as docker does, without a seed', () => {
    const { template } = convertYaml('services: { prom: { image: prom/prometheus, volumes: ["./prometheus:/etc/prometheus"] } }', {
      files: { 'prometheus/prometheus.yml': 'scrape_configs: []\n', 'prometheus/rules/a.yml': 'groups: []\n' },
    });
    const td = props(template, 'PromTaskDefinition');
    expect(named(td, 'Prom_Seed_InitContainer')).to.equal(undefined);
    expect(container(template, 'prom').MountPoints).to.deep.equal([{ ContainerPath: '/etc/prometheus', SourceVolume: 'files_0', ReadOnly: false }]);
    const script = named(td, 'Prom_Storage_InitContainer').Command[2] as string;
    expect(script).to.include("mkdir -p '/mnt/files/0/rules'");
    expect(script).to.include("base64 -d > '/mnt/files/0/prometheus.yml'");
    expect(script).to.include("base64 -d > '/mnt/files/0/rules/a.yml'");
  });

  it('makes a missing or empty folder a data folder: an EFS volume of the project, kept, with a notice that it starts empty', () => {
    const { template, diagnostics } = convertYaml('services: { db: { image: postgres, volumes: ["./data/db:/var/lib/postgresql/data"] } }');
    expect(idsOfType(template, 'AWS::EFS::FileSystem')).to.deep.equal(['DatadbdataFilesystem']);
    expect(template.Resources.DatadbdataFilesystem!.DeletionPolicy).to.equal('Retain');
    expect(container(template, 'db').MountPoints).to.deep.equal([{ ContainerPath: '/var/lib/postgresql/data', SourceVolume: 'Datadbdata', ReadOnly: false }]);
    expect(diagnostics.map((d) => d.message)).to.deep.equal([
      'Service db: ./data/db at /var/lib/postgresql/data is a data folder: on AWS it is the EFS volume data_db_data, kept on down, which starts empty.',
    ]);
  });

  it('lets x-aws-mounts decide per mount: data, config or ignore', () => {
    const { template, diagnostics } = convertYaml(
      'services: { web: { image: nginx, x-aws-mounts: { /usr/share/nginx/html: data, /srv: ignore }, volumes: ["./html:/usr/share/nginx/html", "./srv:/srv"] } }',
      { files: { 'html/index.html': '<h1>hi</h1>', 'srv/x': 'x' } },
    );
    expect(idsOfType(template, 'AWS::EFS::FileSystem')).to.deep.equal(['HtmldataFilesystem']);
    expect(diagnostics.map((d) => d.message)).to.include('Service web: the bind mount of ./srv at /srv is left out (x-aws-mounts).');
  });

  it('drops /etc/localtime with a notice and refuses the Docker socket and other host paths with a sentence', () => {
    const { diagnostics } = convertYaml('services: { web: { image: nginx, volumes: ["/etc/localtime:/etc/localtime:ro"] } }');
    expect(diagnostics.map((d) => d.message)).to.deep.equal([
      'Service web: the bind mount of /etc/localtime is left out: Fargate tasks run in UTC; set the TZ environment variable for another time zone.',
    ]);
    expect(refusal('services: { ui: { image: portainer, volumes: ["/var/run/docker.sock:/var/run/docker.sock"] } }').message).to.equal(
      'Service ui: volumes bind-mounts the Docker socket /var/run/docker.sock; ECS tasks have no Docker engine to talk to.',
    );
  });

  it('leaves out a large folder inside the service build context: the image holds those files', () => {
    const big = 'x'.repeat(50 * 1024);
    const { diagnostics } = convertYaml('services: { web: { image: registry.example.com/web:1, build: ., volumes: ["./:/code"] } }', { files: { 'app.py': big } });
    expect(diagnostics.map((d) => d.message)).to.include('Service web: the bind mount of . at /code is left out: it is inside the build context, so the image built from it holds those files.');
  });

  it('delivers compose configs from file, content and environment, with target, uid, gid and mode', () => {
    const { template } = convertYaml(
      `services:
  web:
    image: nginx
    configs:
      - source: site
        target: /etc/nginx/conf.d/site.conf
        uid: "101"
        gid: "101"
        mode: 0440
      - source: inline
        target: /etc/inline.txt
      - source: greeting
        target: /etc/greeting
configs:
  site: { file: ./site.conf }
  inline: { content: "hello" }
  greeting: { environment: GREETING }
`,
      { files: { 'site.conf': 'server {}\n', '.env': 'GREETING=hi there\n' } },
    );
    const td = props(template, 'WebTaskDefinition');
    expect(container(template, 'web').MountPoints).to.deep.equal([
      { ContainerPath: '/etc', SourceVolume: 'files_0', ReadOnly: true },
      { ContainerPath: '/etc/nginx/conf.d', SourceVolume: 'files_1', ReadOnly: true },
    ]);
    const writer = named(td, 'Web_Storage_InitContainer');
    expect(writer.Environment.map((e: { Value: string }) => Buffer.from(e.Value, 'base64').toString())).to.have.members(['server {}\n', 'hello', 'hi there']);
    expect(named(td, 'Web_Seed_InitContainer').Command[0]).to.include("cp -a '/etc/.' /mnt/seed/0/");
    const script = writer.Command[2] as string;
    expect(script).to.match(/chown 101:101 '\/mnt\/files\/\d\/site\.conf'\nchmod 0440 '\/mnt\/files\/\d\/site\.conf'/);
    expect(script).to.match(/chmod 0444 '\/mnt\/files\/\d\/greeting'/);
  });

  it('refuses files over the budget a task definition can carry, and an external config', () => {
    expect(refusal('services: { web: { image: nginx, volumes: ["./big.conf:/etc/big.conf"] } }', { 'big.conf': 'x'.repeat(41 * 1024) }).message).to.equal(
      'Service web: the files it gets from the project folder and configs take 41 KiB, more than the 40 KiB a task definition can carry.',
    );
    expect(refusal('services: { web: { image: nginx, configs: [c] } }\nconfigs: { c: { external: true } }').message).to.match(/^Service web: configs c is external; ECS has no config store/);
    expect(refusal('services: { web: { image: nginx, configs: [c] } }\nconfigs: { c: { content: x } }').message).to.equal('Service web: a file mounted at /c would need a volume at /; mount it into a folder.');
  });
});
