import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import { convertYaml } from './helpers.js';
import { renderTemplate } from '../../src/cloudformation/serialize.js';

const APP = `
name: shop
x-aws-logs_retention: 7
services:
  web:
    image: nginx
    ports: ["80:80", "81:443"]
    depends_on: [api, cache]
    networks: [front, back]
    environment: { B: "2", A: "1", C: "3" }
    labels: { z: "1", a: "2" }
  api:
    image: example/api:1
    expose: ["8080", "9090"]
    networks: [back]
    deploy: { replicas: 3, resources: { limits: { cpus: "1", memory: 2G } } }
    x-aws-policies: ["arn:aws:iam::aws:policy/B", "arn:aws:iam::aws:policy/A"]
    sysctls: { net.ipv4.tcp_syncookies: "1", net.core.somaxconn: "1024" }
  cache:
    image: redis
    networks: [back]
networks:
  front: {}
  back: {}
`;

/** A small seeded generator (mulberry32): the shuffle is arbitrary but the test is repeatable. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, random));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, random)]));
  }
  return value;
}

describe('convert: determinism', () => {
  it('gives the same bytes for the same project, whatever the key order in the compose file', () => {
    const reference = renderTemplate(convertYaml(APP).template, 'yaml');
    for (const seed of [1, 2, 3, 4, 5]) {
      const shuffled = stringify(shuffleKeys(parse(APP), seeded(seed)));
      expect(shuffled).not.to.equal(stringify(parse(APP)));
      expect(renderTemplate(convertYaml(shuffled).template, 'yaml'), `seed ${seed}`).to.equal(reference);
    }
  });

  it('gives the same bytes with secrets, volumes, GPUs and autoscaling, whatever the key order', () => {
    const app = `
name: ml
services:
  trainer:
    image: example/trainer:1
    secrets: [token, { source: creds, target: creds, mode: 288 }]
    volumes: ["models:/models", "cache:/cache:ro"]
    deploy:
      x-aws-autoscaling: { min: 1, max: 4, memory: 70 }
      resources: { reservations: { memory: 8G, devices: [{ capabilities: [gpu], count: 1 }] } }
  api:
    image: example/api:1
    secrets: [token]
    volumes: ["models:/models:ro"]
    networks: [front, back]
secrets:
  token: { file: ./token.txt }
  creds: { external: true, name: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:c-AbCdEf", x-aws-keys: [user, pass] }
volumes:
  models: { driver_opts: { uid: "1000", throughput_mode: elastic } }
  cache: {}
networks: { front: {}, back: {} }
`;
    const files = { 'token.txt': 'secret-value' };
    const environment = { subnetsByZone: { b: ['subnet-00000002'], a: ['subnet-00000003', 'subnet-00000001'] } };
    const reference = renderTemplate(convertYaml(app, { files, environment }).template, 'yaml');
    for (const seed of [11, 12, 13]) {
      const shuffled = stringify(shuffleKeys(parse(app), seeded(seed)));
      const shuffledEnv = shuffleKeys(environment, seeded(seed)) as typeof environment;
      expect(renderTemplate(convertYaml(shuffled, { files, environment: shuffledEnv }).template, 'yaml'), `seed ${seed}`).to.equal(reference);
    }
  });

  it('gives the same bytes on every run', () => {
    const a = convertYaml(APP).template;
    const b = convertYaml(APP).template;
    expect(renderTemplate(a, 'json')).to.equal(renderTemplate(b, 'json'));
  });

  it('sorts lists whose order means nothing (security groups, DependsOn, managed policies, sysctls)', () => {
    const { template } = convertYaml(APP);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const p = (id: string): any => template.Resources[id]!.Properties;
    expect(p('WebService').NetworkConfiguration.AwsvpcConfiguration.SecurityGroups).to.deep.equal([{ Ref: 'BackNetwork' }, { Ref: 'FrontNetwork' }]);
    expect(template.Resources.WebService!.DependsOn).to.deep.equal(['ApiService', 'CacheService', 'WebTCP80Listener', 'WebTCP81Listener']);
    expect(p('ApiTaskRole').ManagedPolicyArns).to.deep.equal(['arn:aws:iam::aws:policy/A', 'arn:aws:iam::aws:policy/B']);
    expect(p('ApiTaskDefinition').ContainerDefinitions[0].SystemControls.map((s: { Namespace: string }) => s.Namespace)).to.deep.equal([
      'net.core.somaxconn',
      'net.ipv4.tcp_syncookies',
    ]);
  });
});
