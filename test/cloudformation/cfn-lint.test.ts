import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintBodies } from '../support/cfn-lint.js';

const TEST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return testFiles(p);
    return /\.tsx?$/.test(name) ? [p] : [];
  });
}

const listenerWithTags = JSON.stringify({
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: {
    Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Subnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] } },
    Tg: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Port: 80, Protocol: 'HTTP', TargetType: 'ip', VpcId: 'vpc-0123456789abcdef0' } },
    Listener: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: { LoadBalancerArn: { Ref: 'Lb' }, Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Tg' } }], Tags: [{ Key: 'a', Value: 'b' }] },
    },
  },
});
const clean = JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } } } });

describe('cfn-lint over every template the tests produce (test support)', () => {
  it('reports each error of each template in one call, with its rule and path, and nothing for a clean one', function () {
    // one cfn-lint start (a Python program, 3.5 s when idle) took over the 20 s default under load
    this.timeout(120_000);
    const outcome = lintBodies([clean, listenerWithTags]);
    if (outcome.kind === 'unavailable') this.skip();
    expect(outcome.matches[0]).to.deep.equal([]);
    expect(outcome.matches[1]!.map((m) => `${m.rule} ${m.where}`)).to.deep.equal(['E3002 Resources/Listener/Properties/Tags']);
  });

  it('cannot be skipped: every test file that converts a project records its template for the lint', () => {
    // the converter's templates reach cfn-lint through expectValidTemplate (test/convert/helpers.ts,
    // golden), convertCorpusEntry, or the simulator (everything up sends); calling convertProject
    // anywhere else must record the template itself
    const offenders = testFiles(TEST_DIR).filter((file) => {
      const text = readFileSync(file, 'utf8');
      return /\bconvertProject\(/.test(text) && !/\b(expectValidTemplate|recordForLint|cfnLintErrors)\(/.test(text);
    });
    expect(offenders.map((f) => path.relative(TEST_DIR, f))).to.deep.equal([]);
  });
});
