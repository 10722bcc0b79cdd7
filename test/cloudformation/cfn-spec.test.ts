import { expect } from 'chai';
import { validateTemplate } from '../support/cfn-spec.js';
import { getAtt, ref, type Template } from '../../src/cloudformation/template.js';

function logGroupTemplate(properties: Record<string, unknown>): Template {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: { LogGroup: { Type: 'AWS::Logs::LogGroup', Properties: properties as never } },
  };
}

describe('the resource-spec validator (test support)', () => {
  it('accepts a well-formed template with references', () => {
    const t: Template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { VPCId: { Type: 'AWS::EC2::VPC::Id' } },
      Resources: {
        Group: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', VpcId: ref('VPCId') } },
        Self: {
          Type: 'AWS::EC2::SecurityGroupIngress',
          DependsOn: ['Group'],
          Properties: { GroupId: getAtt('Group', 'GroupId'), IpProtocol: '-1', SourceSecurityGroupId: ref('Group') },
        },
      },
    };
    expect(validateTemplate(t)).to.deep.equal([]);
  });

  it('reports a misspelt property', () => {
    const problems = validateTemplate(logGroupTemplate({ LogGroupNam: '/x' }));
    expect(problems.join('\n')).to.match(/LogGroupNam: no such property/);
  });

  it('reports a value of the wrong type', () => {
    const problems = validateTemplate(logGroupTemplate({ RetentionInDays: '7' }));
    expect(problems.join('\n')).to.match(/RetentionInDays: expected integer/);
  });

  it('reports a value outside the allowed values', () => {
    const problems = validateTemplate(logGroupTemplate({ RetentionInDays: 8 }));
    expect(problems.join('\n')).to.match(/8 is not one of/);
  });

  it('reports a missing required property, also inside nested types', () => {
    const t: Template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {
        Group: { Type: 'AWS::EC2::SecurityGroup', Properties: {} },
        Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'web' }] } },
      },
    };
    const text = validateTemplate(t).join('\n');
    expect(text).to.match(/Resources\.Group\.Properties: required property GroupDescription is missing/);
    expect(text).to.match(/ContainerDefinitions\[0\]: required property Image is missing/);
  });

  it('reports a dangling Ref, a GetAtt of a missing attribute and a DependsOn on nothing', () => {
    const t: Template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {
        Group: { Type: 'AWS::EC2::SecurityGroup', DependsOn: ['Nowhere'], Properties: { GroupDescription: 'x', VpcId: ref('Missing') } },
        Rule: {
          Type: 'AWS::EC2::SecurityGroupIngress',
          Properties: { GroupId: getAtt('Group', 'Colour'), IpProtocol: '-1' },
        },
      },
    };
    const text = validateTemplate(t).join('\n');
    expect(text).to.match(/Ref target Missing is not a resource, parameter or pseudo parameter/);
    expect(text).to.match(/has no attribute Colour/);
    expect(text).to.match(/DependsOn: "Nowhere" is not a resource/);
  });

  it('reports an unknown resource type', () => {
    const t: Template = { AWSTemplateFormatVersion: '2010-09-09', Resources: { X: { Type: 'AWS::ECS::Servise' } } };
    expect(validateTemplate(t).join('\n')).to.match(/unknown resource type AWS::ECS::Servise/);
  });
});
