import { expect } from 'chai';
import { container, convertYaml, loadYaml, props, resource, refusal } from './helpers.js';
import { renderTemplate } from '../../src/cloudformation/serialize.js';
import { secretEnvironmentInputs, secretParameterInputs } from '../../src/convert/index.js';
import { SECRETS_INIT_IMAGE } from '../../src/convert/secrets.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function initContainer(template: any, service: string): any {
  const defs = props(template, `${service.charAt(0).toUpperCase()}${service.slice(1)}TaskDefinition`).ContainerDefinitions;
  return defs.find((c: { Name: string }) => c.Name.endsWith('_Secrets_InitContainer'));
}


describe('convert: secrets', () => {
  const SHOP = `
services:
  api:
    image: example/api:1
    secrets: [db_password]
secrets:
  db_password:
    file: ./db/password.txt
`;
  const VALUE = 'hunter2-Known-Value-7f3a';

  it('stores a file secret in Secrets Manager through a NoEcho parameter, never through the template', () => {
    const { template } = convertYaml(SHOP, { files: { 'db/password.txt': VALUE } });
    const secret = resource(template, 'AppdbpasswordSecret');
    expect(secret.Type).to.equal('AWS::SecretsManager::Secret');
    expect(secret.Properties).to.deep.equal({
      Description: 'Secret app_db_password',
      SecretString: { Ref: 'AppdbpasswordSecretValue' },
      Tags: [{ Key: 'com.docker.compose.project', Value: 'app' }],
    });
    expect(template.Parameters!.AppdbpasswordSecretValue).to.deep.include({ Type: 'String', NoEcho: true });
    expect(template.Parameters!.AppdbpasswordSecretValue).not.to.have.property('Default');
  });

  it('tells up which file feeds which parameter, resolved by the loader, without reading it', () => {
    const project = loadYaml(SHOP, { files: { 'db/password.txt': VALUE } });
    expect(secretParameterInputs(project)).to.deep.equal([{ parameter: 'AppdbpasswordSecretValue', secret: 'db_password', file: '/project/db/password.txt' }]);
  });

  it('never lets the secret value into the template, the YAML, the JSON or the warnings', () => {
    const { template, diagnostics } = convertYaml(
      `
services:
  api:
    image: example/api:1
    secrets: [db_password, { source: api_keys, target: keys }]
    x-aws-unknown: 1
secrets:
  db_password:
    file: ./db/password.txt
    labels: { a: b }
  api_keys:
    file: ./keys.json
    x-aws-keys: [stripe]
`,
      { files: { 'db/password.txt': VALUE, 'keys.json': JSON.stringify({ stripe: `${VALUE}-json` }) } },
    );
    expect(diagnostics).not.to.deep.equal([]);
    const outputs = [renderTemplate(template, 'yaml'), renderTemplate(template, 'json'), JSON.stringify(template), JSON.stringify(diagnostics)];
    for (const text of outputs) expect(text.includes(VALUE), 'the secret value leaked into convert output').to.equal(false);
  });

  it('adds a non-essential init container, pinned by tag and digest, that writes /run/secrets/<target> with compose\'s default mode 0444, so a non-root user can read it', () => {
    const { template } = convertYaml(SHOP, { files: { 'db/password.txt': VALUE } });
    const init = initContainer(template, 'api');
    expect(init.Name).to.equal('Api_Secrets_InitContainer');
    expect(init.Essential).to.equal(false);
    expect(init.Image).to.equal(SECRETS_INIT_IMAGE);
    expect(init.Image).to.match(/^public\.ecr\.aws\/[^:@]+:[\w.-]+@sha256:[0-9a-f]{64}$/);
    expect(init.Secrets).to.deep.equal([{ Name: 'SECRET_0', ValueFrom: { Ref: 'AppdbpasswordSecret' } }]);
    expect(init.MountPoints).to.deep.equal([{ ContainerPath: '/run/secrets', SourceVolume: 'secrets', ReadOnly: false }]);
    expect(init.Command.slice(0, 2)).to.deep.equal(['sh', '-c']);
    expect(init.Command[2].split('\n')).to.deep.equal([
      'set -eu',
      'umask 077',
      `printf '%s' "$SECRET_0" > '/run/secrets/db_password'`,
      `chmod 0444 '/run/secrets/db_password'`,
    ]);
    expect(init.LogConfiguration).to.deep.equal(container(template, 'api').LogConfiguration);
  });

  it('has the service container mount the secrets read-only and wait for the init container to succeed', () => {
    const { template } = convertYaml(SHOP, { files: { 'db/password.txt': VALUE } });
    const defs = props(template, 'ApiTaskDefinition').ContainerDefinitions;
    const main = defs[defs.length - 1];
    expect(main.Name).to.equal('api');
    expect(main.Essential).to.equal(true);
    expect(main.DependsOn).to.deep.equal([{ ContainerName: 'Api_Secrets_InitContainer', Condition: 'SUCCESS' }]);
    expect(main.MountPoints).to.deep.equal([{ ContainerPath: '/run/secrets', SourceVolume: 'secrets', ReadOnly: true }]);
    expect(props(template, 'ApiTaskDefinition').Volumes).to.deep.equal([{ Name: 'secrets' }]);
  });

  it('honours a target path (relative or under /run/secrets), mode, uid and gid', () => {
    const { template } = convertYaml(
      `
services:
  db:
    image: postgres
    secrets:
      - { source: pw, target: postgres/password, mode: 0440, uid: "999", gid: "999" }
      - { source: tls, target: /run/secrets/tls.key }
secrets:
  pw: { file: ./pw.txt }
  tls: { file: ./tls.key }
`,
      { files: { 'pw.txt': 'a', 'tls.key': 'b' } },
    );
    const init = initContainer(template, 'db');
    expect(init.Command[2].split('\n')).to.deep.equal([
      'set -eu',
      'umask 022',
      `mkdir -p '/run/secrets/postgres'`,
      'umask 077',
      `printf '%s' "$SECRET_0" > '/run/secrets/postgres/password'`,
      `chown 999:999 '/run/secrets/postgres/password'`,
      `chmod 0440 '/run/secrets/postgres/password'`,
      `printf '%s' "$SECRET_1" > '/run/secrets/tls.key'`,
      `chmod 0444 '/run/secrets/tls.key'`,
    ]);
  });

  it('writes x-aws-keys as one file per JSON key, each fetched by ECS with the native <arn>:<key>:: form', () => {
    const { template } = convertYaml(
      `
services:
  api:
    image: example/api:1
    secrets: [{ source: creds, target: creds }]
secrets:
  creds:
    external: true
    name: ${ARN}
    x-aws-keys: [username, password]
`,
    );
    const init = initContainer(template, 'api');
    expect(init.Secrets).to.deep.equal([
      { Name: 'SECRET_0_0', ValueFrom: { 'Fn::Join': ['', [ARN, ':password::']] } },
      { Name: 'SECRET_0_1', ValueFrom: { 'Fn::Join': ['', [ARN, ':username::']] } },
    ]);
    expect(init.Command[2]).to.include(`mkdir -p '/run/secrets/creds'`);
    expect(init.Command[2]).to.include(`printf '%s' "$SECRET_0_0" > '/run/secrets/creds/password'`);
    expect(init.Command[2]).to.include(`printf '%s' "$SECRET_0_1" > '/run/secrets/creds/username'`);
  });

  it('uses an external secret by its ARN and creates nothing for it', () => {
    const { template } = convertYaml(`services: { api: { image: a, secrets: [db] } }\nsecrets: { db: { external: true, name: "${ARN}" } }`);
    expect(Object.values(template.Resources).filter((r) => r.Type === 'AWS::SecretsManager::Secret')).to.deep.equal([]);
    expect(template.Parameters).not.to.have.property('DbSecretValue');
    expect(initContainer(template, 'api').Secrets).to.deep.equal([{ Name: 'SECRET_0', ValueFrom: ARN }]);
    expect(secretParameterInputs(loadYaml(`services: { api: { image: a, secrets: [db] } }\nsecrets: { db: { external: true, name: "${ARN}" } }`))).to.deep.equal([]);
  });

  it('lets the execution role read exactly the service secrets, and decrypt with the KMS key a secret names', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { template } = convertYaml(
      `
services:
  api: { image: a, secrets: [db, ext] }
  web: { image: b, secrets: [db] }
  other: { image: c }
secrets:
  db: { file: ./db.txt, x-aws-kms_key_id: "${key}" }
  ext: { external: true, name: "${ARN}" }
`,
      { files: { 'db.txt': 'x' } },
    );
    expect(props(template, 'ApiTaskExecutionRole').Policies).to.deep.equal([
      {
        PolicyName: 'apiGrantAccessToSecrets',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [ARN, { Ref: 'AppdbSecret' }] },
            { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [key] },
          ],
        },
      },
    ]);
    expect(props(template, 'WebTaskExecutionRole').Policies[0].PolicyDocument.Statement[0].Resource).to.deep.equal([{ Ref: 'AppdbSecret' }]);
    expect(props(template, 'OtherTaskExecutionRole')).not.to.have.property('Policies');
    expect(props(template, 'AppdbSecret').KmsKeyId).to.equal(key);
  });

  it('grants decrypt for a key given by id or alias as IAM can express it, and refuses anything else', () => {
    const policy = (kms: string) => {
      const { template } = convertYaml(`services: { api: { image: a, secrets: [db] } }\nsecrets: { db: { file: ./db.txt, x-aws-kms_key_id: "${kms}" } }`, { files: { 'db.txt': 'x' } });
      expect(props(template, 'AppdbSecret').KmsKeyId).to.equal(kms);
      return props(template, 'ApiTaskExecutionRole').Policies[0].PolicyDocument.Statement[1];
    };
    expect(policy('1234abcd-12ab-34cd-56ef-1234567890ab')).to.deep.equal({
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
    });
    const byAlias = {
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*' }],
      Condition: {
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/my-key'] },
        StringEquals: { 'kms:ViaService': [{ 'Fn::Sub': 'secretsmanager.${AWS::Region}.amazonaws.com' }] },
      },
    };
    expect(policy('alias/my-key')).to.deep.equal(byAlias);
    expect(policy('arn:aws:kms:eu-west-1:123456789012:alias/my-key')).to.deep.equal({ ...byAlias, Resource: ['arn:aws:kms:eu-west-1:123456789012:key/*'] });
    expect(refusal('services: { api: { image: a, secrets: [db] } }\nsecrets: { db: { file: ./db.txt, x-aws-kms_key_id: my-key } }', { 'db.txt': 'x' }).message).to.equal(
      'secrets.db.x-aws-kms_key_id is "my-key", which is not a KMS key ARN, key id, alias name (alias/...) or alias ARN.',
    );
  });

  it('keeps the pull credentials and the secrets in the one policy the old integration named', () => {
    const pull = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hub-AbCdEf';
    const { template } = convertYaml(`services: { api: { image: a, secrets: [db], x-aws-pull_credentials: "${pull}" } }\nsecrets: { db: { external: true, name: "${ARN}" } }`);
    const statements = props(template, 'ApiTaskExecutionRole').Policies[0].PolicyDocument.Statement;
    expect(statements.map((s: { Resource: unknown }) => s.Resource)).to.deep.equal([[pull], [ARN]]);
  });

  it('delivers an environment: secret like a file secret: a NoEcho parameter up fills from the variable, never its value', () => {
    const yaml = 'services: { api: { image: a, secrets: [db] } }\nsecrets: { db: { environment: DB_PASSWORD } }';
    const { template, project } = convertYaml(yaml);
    expect(template.Parameters!.AppdbSecretValue).to.deep.include({ Type: 'String', NoEcho: true });
    expect(props(template, 'AppdbSecret').SecretString).to.deep.equal({ Ref: 'AppdbSecretValue' });
    expect(secretParameterInputs(project)).to.deep.equal([]);
    expect(secretEnvironmentInputs(project)).to.deep.equal([{ parameter: 'AppdbSecretValue', secret: 'db', variable: 'DB_PASSWORD' }]);
    // the value the loader saw never reaches the template
    const withValue = convertYaml(yaml, { files: { '.env': 'DB_PASSWORD=Sup3r-s3cret-value\n' } });
    expect(JSON.stringify(withValue.template)).to.not.include('Sup3r-s3cret-value');
  });

  it('refuses an external secret named by something other than an ARN, "*" keys and targets outside /run/secrets', () => {
    expect(refusal('services: { api: { image: a, secrets: [db] } }\nsecrets: { db: { external: true, name: prod/db } }').message).to.equal(
      'External secret db must be named by the ARN of a Secrets Manager secret, got "prod/db".',
    );
    expect(refusal(`services: { api: { image: a, secrets: [db] } }\nsecrets: { db: { external: true, name: "${ARN}", x-aws-keys: "*" } }`).message).to.match(/x-aws-keys "\*" \(every key\) is not supported/);
    expect(refusal('services: { api: { image: a, secrets: [{ source: db, target: /etc/db.pw }] } }\nsecrets: { db: { file: ./db.txt } }', { 'db.txt': 'x' }).message).to.equal(
      'Service api: secrets target /etc/db.pw is outside /run/secrets; on ECS secrets are files under /run/secrets.',
    );
    expect(refusal(`services: { api: { image: a, secrets: [{ source: db, target: "../x" }] } }\nsecrets: { db: { file: ./db.txt } }`, { 'db.txt': 'x' }).message).to.match(/is not a usable file name/);
  });

  it('creates no secret that no service uses', () => {
    const { template } = convertYaml('services: { api: { image: a } }\nsecrets: { db: { file: ./db.txt } }', { files: { 'db.txt': 'x' } });
    expect(Object.keys(template.Resources).filter((id) => id.endsWith('Secret'))).to.deep.equal([]);
    expect(secretParameterInputs(loadYaml('services: { api: { image: a } }\nsecrets: { db: { file: ./db.txt } }', { files: { 'db.txt': 'x' } }))).to.deep.equal([]);
  });
});

describe('convert: secret revisions', () => {
  it('gives each file secret a revision parameter that the init containers of its services carry as a label, never the value', () => {
    const { template } = convertYaml(
      `
services:
  api: { image: example/api:1, secrets: [pw, ext] }
secrets:
  pw: { file: ./pw.txt }
  ext: { external: true, name: "arn:aws:secretsmanager:us-east-1:123456789012:secret:ext-AbCdEf" }
`,
      { files: { 'pw.txt': 'hunter2' } },
    );
    expect(template.Parameters?.ApppwSecretRevision).to.deep.include({ Type: 'String' });
    expect(template.Parameters?.ApppwSecretRevision).not.to.have.property('Default');
    const init = props(template, 'ApiTaskDefinition').ContainerDefinitions.find((c: { Essential: boolean }) => c.Essential === false);
    expect(init.DockerLabels).to.deep.equal({ 'com.docker.ecs.secret-revision.pw': { Ref: 'ApppwSecretRevision' } });
  });
});
