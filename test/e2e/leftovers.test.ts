import { expect } from 'chai';
import { startE2E, type E2E } from './helpers.js';

const TINY = {
  'compose.yaml': `name: tiny
services:
  web:
    image: public.ecr.aws/nginx/nginx:1.27
    ports: ["80:80"]
`,
};

describe('up when leftovers hold the names of a new stack, through docker and the AWS simulator', function () {
  this.timeout(120_000);
  let e: E2E;
  afterEach(async () => e && (await e.stop()));

  it('lists each leftover with the command that removes it, exits 1 and creates nothing, on up and on up --dry-run', async () => {
    e = await startE2E({ project: TINY, scenario: { leftovers: { logGroups: ['/docker-compose/tiny'], clusters: ['tiny'] } } });
    for (const args of [['up'], ['up', '--dry-run']]) {
      const r = e.compose(args);
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.include('Stack tiny cannot be created in us-east-1: 2 resources left from an earlier deployment hold names it needs. Remove them, then run up again:');
      expect(r.stderr).to.include('  CloudWatch log group /docker-compose/tiny: aws logs delete-log-group --log-group-name /docker-compose/tiny --region us-east-1');
      expect(r.stderr).to.include('  ECS cluster tiny: aws ecs delete-cluster --cluster tiny --region us-east-1');
      expect(r.stderr).to.not.match(/at .*\.js:\d+/);
    }
    const calls = await e.sim.calls();
    expect(calls.filter((c) => ['CreateStack', 'CreateChangeSet'].includes(c.operation))).to.deep.equal([]);
  });
});
