import { expect } from 'chai';
import { applyOverlay, mergeOverlay } from '../../src/cloudformation/overlay.js';
import { ref, type Template } from '../../src/cloudformation/template.js';
import { UserError } from '../../src/errors.js';

function base(): Template {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      WebTCP80TargetGroup: {
        Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
        Properties: { Port: 80, Protocol: 'HTTP', Tags: [{ Key: 'a', Value: 'b' }], VpcId: ref('VPCId') },
      },
    },
  };
}

describe('x-aws-cloudformation overlay merge', () => {
  it('merges mappings by key and replaces scalars', () => {
    const out = applyOverlay(base(), { Resources: { WebTCP80TargetGroup: { Properties: { HealthCheckPath: '/health', Port: 8080 } } } });
    expect(out.Resources.WebTCP80TargetGroup!.Properties).to.deep.include({ HealthCheckPath: '/health', Port: 8080, Protocol: 'HTTP' });
  });

  it('deletes a key set to null', () => {
    const out = applyOverlay(base(), { Resources: { WebTCP80TargetGroup: { Properties: { Tags: null } } } });
    expect(out.Resources.WebTCP80TargetGroup!.Properties).not.to.have.property('Tags');
  });

  it('adds new resources and outputs', () => {
    const out = applyOverlay(base(), { Resources: { Topic: { Type: 'AWS::SNS::Topic' } }, Outputs: { T: { Value: { Ref: 'Topic' } } } });
    expect(out.Resources.Topic).to.deep.equal({ Type: 'AWS::SNS::Topic' });
    expect(out.Outputs).to.have.property('T');
  });

  it('replaces lists wholesale', () => {
    const out = applyOverlay(base(), { Resources: { WebTCP80TargetGroup: { Properties: { Tags: [{ Key: 'x', Value: 'y' }] } } } });
    expect(out.Resources.WebTCP80TargetGroup!.Properties!.Tags).to.deep.equal([{ Key: 'x', Value: 'y' }]);
  });

  it('replaces an intrinsic instead of merging two functions into one object', () => {
    const merged = mergeOverlay({ VpcId: { Ref: 'VPCId' } }, { VpcId: { 'Fn::ImportValue': 'shared-vpc' } });
    expect(merged).to.deep.equal({ VpcId: { 'Fn::ImportValue': 'shared-vpc' } });
  });

  it('does not modify the generated template', () => {
    const t = base();
    applyOverlay(t, { Resources: { WebTCP80TargetGroup: { Properties: { Port: 1 } } } });
    expect(t.Resources.WebTCP80TargetGroup!.Properties!.Port).to.equal(80);
  });

  it('refuses an overlay that is not a mapping, or a new resource without a Type', () => {
    expect(() => applyOverlay(base(), ['x'])).to.throw(UserError, /must be a mapping/);
    expect(() => applyOverlay(base(), { Resources: { Extra: { Properties: {} } } })).to.throw(UserError, /resource Extra has no Type/);
  });
});
