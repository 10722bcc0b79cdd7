import { expect } from 'chai';
import { convertYaml } from './helpers.js';
import * as naming from '../../src/convert/naming.js';
import { assemble } from '../../src/convert/fragment.js';
import { UserError } from '../../src/errors.js';

describe('convert: naming', () => {
  it('normalises names as the old integration did: drop non-alphanumerics, capitalise the first letter', () => {
    expect(naming.normalizeResourceName('front-tier')).to.equal('Fronttier');
    expect(naming.normalizeResourceName('db_data')).to.equal('Dbdata');
    expect(naming.normalizeResourceName('TestSimpleConvert_default')).to.equal('TestSimpleConvertdefault');
  });

  it('builds the logical IDs existing overlays address', () => {
    expect(naming.ecsService('web')).to.equal('WebService');
    expect(naming.taskDefinition('web')).to.equal('WebTaskDefinition');
    expect(naming.taskExecutionRole('web')).to.equal('WebTaskExecutionRole');
    expect(naming.taskRole('web')).to.equal('WebTaskRole');
    expect(naming.serviceDiscoveryEntry('web')).to.equal('WebServiceDiscoveryEntry');
    expect(naming.targetGroup('web', 'tcp', 80)).to.equal('WebTCP80TargetGroup');
    expect(naming.listener('web', 'udp', 53)).to.equal('WebUDP53Listener');
    expect(naming.networkSecurityGroup('back-tier')).to.equal('BacktierNetwork');
    expect(naming.portIngress('default', 80)).to.equal('Default80Ingress');
  });

  it('refuses services whose names differ only in punctuation, before building anything', () => {
    expect(() => convertYaml('services: { my-svc: { image: a }, mysvc: { image: b } }')).to.throw(UserError, /Services my-svc and mysvc differ only in punctuation/);
  });

  it('refuses a logical ID produced twice when fragments are assembled', () => {
    const r = { Type: 'AWS::SNS::Topic' };
    expect(() => assemble([{ resources: { Topic: r } }, { resources: { Topic: r } }])).to.throw(UserError, /both produce the resource Topic/);
  });

  it('makes Service Connect port names lower-case and safe', () => {
    expect(naming.portMappingName('Web.API', 8080, 'tcp')).to.equal('web-api-8080-tcp');
  });
});
