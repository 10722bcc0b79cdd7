import { expect } from 'chai';
import { container, convertYaml, props } from './helpers.js';
import { SECRETS_INIT_IMAGE } from '../../src/convert/secrets.js';

describe('convert: tmpfs becomes task storage', () => {
  it('mounts each tmpfs (service key and type: tmpfs volume) as a task volume without host path: not EFS, not kept', () => {
    const { template, diagnostics } = convertYaml(`
services:
  web:
    image: nginx
    tmpfs: [/run, /tmp/]
    volumes:
      - type: tmpfs
        target: /var/cache/nginx
`);
    const td = props(template, 'WebTaskDefinition');
    expect(td.Volumes).to.deep.equal([{ Name: 'tmpfs_0' }, { Name: 'tmpfs_1' }, { Name: 'tmpfs_2' }]);
    expect(container(template, 'web').MountPoints).to.deep.equal([
      { ContainerPath: '/run', SourceVolume: 'tmpfs_0', ReadOnly: false },
      { ContainerPath: '/tmp', SourceVolume: 'tmpfs_1', ReadOnly: false },
      { ContainerPath: '/var/cache/nginx', SourceVolume: 'tmpfs_2', ReadOnly: false },
    ]);
    expect(Object.values(template.Resources).map((r) => r.Type)).to.not.include('AWS::EFS::FileSystem');
    expect(diagnostics).to.deep.equal([]);
  });

  it('gives each directory the tmpfs mode (1777 unless mode says otherwise) in an init container the service waits for', () => {
    const { template } = convertYaml(`
services:
  web:
    image: nginx
    user: "1000"
    tmpfs: ["/run:mode=0770"]
    volumes:
      - type: tmpfs
        target: /tmp
`);
    const td = props(template, 'WebTaskDefinition');
    const init = td.ContainerDefinitions.find((c: { Name: string }) => c.Name === 'Web_Storage_InitContainer');
    expect(init).to.include({ Image: SECRETS_INIT_IMAGE, Essential: false });
    expect(init.Command).to.deep.equal(['sh', '-c', 'set -eu\nchmod 0770 /mnt/storage/0\nchmod 1777 /mnt/storage/1']);
    expect(init.MountPoints).to.deep.equal([
      { ContainerPath: '/mnt/storage/0', SourceVolume: 'tmpfs_0', ReadOnly: false },
      { ContainerPath: '/mnt/storage/1', SourceVolume: 'tmpfs_1', ReadOnly: false },
    ]);
    expect(container(template, 'web').DependsOn).to.deep.equal([{ ContainerName: 'Web_Storage_InitContainer', Condition: 'SUCCESS' }]);
  });

  it('keeps a read_only service working: the root file system is read-only, the tmpfs paths stay writable', () => {
    const { template } = convertYaml('services: { web: { image: nginx, read_only: true, tmpfs: [/tmp] } }');
    const web = container(template, 'web');
    expect(web.ReadonlyRootFilesystem).to.equal(true);
    expect(web.MountPoints).to.deep.equal([{ ContainerPath: '/tmp', SourceVolume: 'tmpfs_0', ReadOnly: false }]);
  });

  it('waits for both init containers when the service also has secrets', () => {
    const { template } = convertYaml('services: { web: { image: nginx, tmpfs: [/tmp], secrets: [pw] } }\nsecrets: { pw: { file: ./pw.txt } }', { files: { 'pw.txt': 'x' } });
    expect(container(template, 'web').DependsOn.map((d: { ContainerName: string }) => d.ContainerName)).to.deep.equal(['Web_Secrets_InitContainer', 'Web_Storage_InitContainer']);
  });

  it('says once that a tmpfs size cannot be enforced on Fargate', () => {
    const { diagnostics } = convertYaml('services: { web: { image: nginx, tmpfs: ["/run:size=64m"], volumes: [{ type: tmpfs, target: /cache, tmpfs: { size: 1g } }] } }');
    expect(diagnostics.map((d) => d.message)).to.deep.equal([
      "Service web: tmpfs size of /cache, /run is not enforced: on Fargate the path is on the task's ephemeral storage (20 GiB shared by the task), emptied when the task stops.",
    ]);
  });
});
