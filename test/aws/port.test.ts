import { expect } from 'chai';
import { publishedPort } from '../../src/aws/port.js';
import type { TaskRow } from '../../src/aws/ps.js';
import { loadError } from '../compose/helpers.js';

const row = (over: Partial<TaskRow>): TaskRow => ({
  ID: 'arn', Name: 'abc', Project: 'demo', Service: 'web', State: 'running', LastStatus: 'RUNNING', DesiredStatus: 'RUNNING', Health: 'UNKNOWN',
  Status: 'running', Ports: '', Publishers: [{ URL: 'lb.example:8080', TargetPort: 80, PublishedPort: 8080, Protocol: 'tcp' }], TaskDefinition: 'demo-web:1', ...over,
});

describe('port', () => {
  it('answers with the load balancer address of the container port', () => {
    expect(publishedPort([row({})], { service: 'web', port: 80, protocol: 'tcp' })).to.equal('lb.example:8080');
  });

  it('says in one sentence when the port, the service or the task index is not there', () => {
    expect(loadError(() => publishedPort([row({})], { service: 'web', port: 81, protocol: 'tcp' }))).to.equal('service web publishes no port 81/tcp; it publishes 80/tcp.');
    expect(loadError(() => publishedPort([row({})], { service: 'db', port: 80, protocol: 'tcp' }))).to.match(/^service db has no running task;/);
    expect(loadError(() => publishedPort([row({})], { service: 'web', port: 80, protocol: 'tcp', index: 2 }))).to.equal('service web has 1 running task; --index takes 1 to 1.');
  });
});
