import { expect } from 'chai';
import { parse } from 'yaml';
import { renderTemplate } from '../../src/cloudformation/serialize.js';
import { getAtt, join, ref, sub, type Template } from '../../src/cloudformation/template.js';

function sample(): Template {
  return {
    Resources: {
      Zeta: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'yes', DisplayName: '0755' } },
      Alpha: {
        Type: 'AWS::SSM::Parameter',
        DependsOn: ['Zeta'],
        Properties: { Value: join(',', [ref('Zeta'), getAtt('Zeta', 'TopicArn'), sub('${AWS::Region}-x')]), Type: 'String' },
      },
    },
    Parameters: { VPC: { Type: 'AWS::EC2::VPC::Id', Default: 'vpc-1' } },
    AWSTemplateFormatVersion: '2010-09-09',
  };
}

describe('renderTemplate', () => {
  it('writes sections in the documented order and every mapping key sorted', () => {
    const yaml = renderTemplate(sample(), 'yaml');
    const lines = yaml.split('\n').filter((l) => /^\S/.test(l));
    expect(lines).to.deep.equal(['AWSTemplateFormatVersion: "2010-09-09"', 'Parameters:', 'Resources:']);
    expect(yaml.indexOf('  Alpha:')).to.be.lessThan(yaml.indexOf('  Zeta:'));
    expect(yaml.indexOf('DependsOn')).to.be.lessThan(yaml.indexOf('Properties'));
  });

  it('uses the long intrinsic forms and no YAML tags', () => {
    const yaml = renderTemplate(sample(), 'yaml');
    expect(yaml).to.contain('Ref: Zeta');
    expect(yaml).to.contain('Fn::GetAtt:');
    expect(yaml).to.contain('Fn::Join:');
    expect(yaml).not.to.match(/!\w/);
  });

  it('quotes strings that a YAML 1.1 parser would read as booleans, numbers or dates', () => {
    const yaml = renderTemplate(sample(), 'yaml');
    expect(yaml).to.contain('TopicName: "yes"');
    expect(yaml).to.contain('DisplayName: "0755"');
    const back11 = parse(yaml, { version: '1.1' });
    expect(back11.Resources.Zeta.Properties.TopicName).to.equal('yes');
    expect(back11.AWSTemplateFormatVersion).to.equal('2010-09-09');
  });

  it('carries the same template in yaml and json', () => {
    const t = sample();
    expect(parse(renderTemplate(t, 'yaml'))).to.deep.equal(JSON.parse(renderTemplate(t, 'json')));
  });

  it('gives the same bytes whatever the insertion order of keys', () => {
    const a = sample();
    const reversed = (o: unknown): unknown =>
      Array.isArray(o) ? o.map(reversed) : o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).reverse().map(([k, v]) => [k, reversed(v)])) : o;
    expect(renderTemplate(reversed(a) as Template, 'yaml')).to.equal(renderTemplate(a, 'yaml'));
    expect(renderTemplate(reversed(a) as Template, 'json')).to.equal(renderTemplate(a, 'json'));
  });
});
