import { expect } from 'chai';
import { parse } from 'yaml';
import { convertYaml, props } from './helpers.js';
import { renderTemplate } from '../../src/cloudformation/serialize.js';
import { expectValidTemplate } from '../support/cfn-spec.js';

const WITH_OVERLAY = `
services:
  web: { image: nginx, ports: ["80:80"] }
x-aws-cloudformation:
  Resources:
    WebTCP80TargetGroup:
      Properties:
        HealthCheckPath: /health
        Matcher: null
    LoadBalancer:
      Properties:
        Scheme: internal
    Alerts:
      Type: AWS::SNS::Topic
  Outputs:
    AlertsTopic:
      Value: { Ref: Alerts }
`;

describe('convert: x-aws-cloudformation overlay', () => {
  it('merges into the generated template: set, replace, delete, add', () => {
    const { template } = convertYaml(WITH_OVERLAY);
    expect(props(template, 'WebTCP80TargetGroup')).to.deep.include({ HealthCheckPath: '/health', Port: 80 }).and.not.have.property('Matcher');
    expect(props(template, 'LoadBalancer').Scheme).to.equal('internal');
    expect(template.Resources.Alerts).to.deep.equal({ Type: 'AWS::SNS::Topic' });
    expect(template.Outputs!.AlertsTopic).to.deep.equal({ Value: { Ref: 'Alerts' } });
    expect(template.Outputs).to.have.property('LoadBalancerDNSName');
  });

  it('is in the yaml and the json output alike', () => {
    const { template } = convertYaml(WITH_OVERLAY);
    const fromYaml = parse(renderTemplate(template, 'yaml'));
    const fromJson = JSON.parse(renderTemplate(template, 'json'));
    expect(fromYaml).to.deep.equal(fromJson);
    expect(fromJson.Resources.WebTCP80TargetGroup.Properties.HealthCheckPath).to.equal('/health');
    expectValidTemplate(fromJson);
  });
});
