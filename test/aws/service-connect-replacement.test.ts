/**
 * The pure half of the two-step replacement (service-connect-replacement.ts): which replaced
 * services hold Service Connect names, and the first update's template.
 */
import { expect } from 'chai';
import type { PlannedChange } from '../../src/aws/events.js';
import { serviceConnectReplacements, withoutServiceConnectNames } from '../../src/aws/service-connect-replacement.js';
import { updateRefusals } from '../../src/aws/update-guards.js';
import type { Template } from '../../src/cloudformation/template.js';
import { recordForLint } from '../support/cfn-lint.js';
import { composeConvert } from './compose-sim.js';

const [A, B] = ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'];
const deployed = (): Template =>
  composeConvert(`
services:
  web: { image: nginx, ports: ["80:80"] }
  api: { image: example/api, expose: ["8080"] }
  worker: { image: example/worker }
`)({ vpcId: 'vpc-0d3fa017e5c1a1000', subnetIds: [A, B], subnetsByZone: { 'us-east-1a': [A], 'us-east-1b': [B] }, region: 'us-east-1', accountId: '123456789012', retainedFileSystems: {} } as never).template;

const replaced = (logicalId: string, replacement: PlannedChange['replacement'] = 'yes'): PlannedChange => ({ action: 'modify', logicalId, resourceType: 'AWS::ECS::Service', replacement });
const props = (t: Template, id: string) => t.Resources[id]!.Properties as Record<string, any>;

describe('replacing services that hold Service Connect names', () => {
  it('names the replaced services that hold endpoints, with their aliases, and no other', () => {
    const t = deployed();
    const plan = [replaced('WebService'), replaced('WorkerService'), replaced('ApiService', 'no'), { action: 'modify', logicalId: 'WebTaskDefinition', resourceType: 'AWS::ECS::TaskDefinition', replacement: 'yes' } as PlannedChange];
    expect(serviceConnectReplacements(plan, t)).to.deep.equal([{ logicalId: 'WebService', service: 'web', names: ['web:80'] }]);
    expect(serviceConnectReplacements([replaced('ApiService', 'conditional')], t)).to.deep.equal([{ logicalId: 'ApiService', service: 'api', names: ['api:8080'] }]);
  });

  it('builds the first update from the deployed template: only the replaced service loses its names, stays a client, and the others get a new endpoints marker', () => {
    const t = deployed();
    const before = JSON.parse(JSON.stringify(t)) as Template;
    const step1 = withoutServiceConnectNames(t, [{ logicalId: 'WebService', service: 'web', names: ['web:80'] }]);
    recordForLint(step1);
    expect(t).to.deep.equal(before, 'the deployed template is not changed');

    expect(props(step1, 'WebService').ServiceConnectConfiguration).to.deep.equal({ Enabled: true, Namespace: { 'Fn::GetAtt': ['CloudMap', 'Arn'] } });
    expect(props(step1, 'ApiService').ServiceConnectConfiguration).to.deep.equal(props(t, 'ApiService').ServiceConnectConfiguration);
    for (const id of ['ApiService', 'WorkerService']) {
      expect(props(step1, id).ForceNewDeployment.ForceNewDeploymentNonce).to.equal(`${props(t, id).ForceNewDeployment.ForceNewDeploymentNonce}-released`);
    }
    expect(props(step1, 'WebService').ForceNewDeployment).to.deep.equal(props(t, 'WebService').ForceNewDeployment);
    // everything else as deployed: a change set of this template changes nothing but the services
    for (const [id, r] of Object.entries(t.Resources)) if (r.Type !== 'AWS::ECS::Service') expect(step1.Resources[id]).to.deep.equal(r);
    expect(step1.Parameters).to.deep.equal(t.Parameters);
    expect(step1.Outputs).to.deep.equal(t.Outputs);
  });

  it('still refuses the replacement when the deployed template cannot be read to free the names first', () => {
    const next = deployed();
    const facts = { plan: [replaced('WebService')], next, mountTargets: new Map(), zoneOfSubnet: {} };
    expect(updateRefusals(facts)).to.deep.equal([
      "Service web: this change replaces its ECS service (a new cluster, launch type or capacity), and CloudFormation would create the new service while the old one still holds its Service Connect names; the stack's template could not be read to free them first, so the update would fail. Run up again, or apply it with down, then up (named volumes are kept).",
    ]);
    expect(updateRefusals({ ...facts, deployed: next })).to.deep.equal([]);
  });
});
