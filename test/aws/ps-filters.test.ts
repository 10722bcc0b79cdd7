import { expect } from 'chai';
import { filterRows, psFilterOf, renderPs } from '../../src/ui/ps.js';
import type { TaskRow } from '../../src/aws/ps.js';
import { loadError } from '../compose/helpers.js';

const row = (over: Partial<TaskRow>): TaskRow => ({
  ID: 'arn:aws:ecs:us-east-1:123456789012:task/demo/abc',
  Name: 'abc',
  Project: 'demo',
  Service: 'web',
  State: 'running',
  LastStatus: 'RUNNING',
  DesiredStatus: 'RUNNING',
  Health: 'HEALTHY',
  Status: 'running (healthy)',
  Ports: 'lb:80->80/tcp',
  Publishers: [{ URL: 'lb', TargetPort: 80, PublishedPort: 80, Protocol: 'tcp' }],
  TaskDefinition: 'demo-web:1',
  ...over,
});
const rows = [row({}), row({ Name: 'def', Service: 'db', State: 'stopped', ExitCode: 1, Status: 'stopped (exit 1)', Ports: '', Publishers: [] }), row({ Name: 'ghi', Service: 'db', State: 'pending' })];

describe('ps filters and templates', () => {
  it('keeps the named services and the docker compose states asked for by --status and --filter status=', () => {
    expect(filterRows(rows, psFilterOf({ services: ['db'] })).map((r) => r.Name)).to.deep.equal(['def', 'ghi']);
    expect(filterRows(rows, psFilterOf({ services: [], status: ['exited'] })).map((r) => r.Name)).to.deep.equal(['def']);
    expect(filterRows(rows, psFilterOf({ services: [], filter: ['status=created'] })).map((r) => r.Name)).to.deep.equal(['ghi']);
  });

  it('refuses an unknown status or filter in one sentence', () => {
    expect(loadError(() => psFilterOf({ services: [], status: ['up'] }))).to.equal('"up" is not a container status; use one of paused, restarting, removing, running, dead, created, exited.');
    expect(loadError(() => psFilterOf({ services: [], filter: ['name=web'] }))).to.match(/^--filter "name=web" is not supported; docker compose ps filters by status only/);
  });

  it('prints the service names with --services', () => {
    expect(renderPs(rows, 'table', false, true)).to.equal('db\nweb\n');
  });

  it('renders Go-style templates with docker compose\'s field names, json, and a table header', () => {
    expect(renderPs(rows, '{{.Name}} {{.Service}} {{.State}} {{.ExitCode}}')).to.equal('abc web running 0\ndef db exited 1\nghi db created 0\n');
    expect(renderPs([rows[0]!], '{{json .Publishers}}')).to.equal('[{"URL":"lb","TargetPort":80,"PublishedPort":80,"Protocol":"tcp"}]\n');
    expect(renderPs([rows[0]!], '{{.Service | upper}}')).to.equal('WEB\n');
    expect(renderPs(rows.slice(0, 2), 'table {{.Name}}\\t{{.State}}')).to.equal('NAME   STATE\nabc    running\ndef    exited\n');
  });

  it('refuses an unknown field or function in one sentence naming the fields', () => {
    expect(loadError(() => renderPs(rows, '{{.Nope}}'))).to.match(/^--format "\{\{\.Nope\}\}": there is no field \.Nope; the fields are \.ID, \.Name,/);
    expect(loadError(() => renderPs(rows, '{{range .Publishers}}x{{end}}'))).to.match(/is not supported; use fields as \{\{\.Name\}\}/);
  });
});
