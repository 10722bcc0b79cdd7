import { expect } from 'chai';
import { convertYaml, props, refusal } from './helpers.js';
import { TLS_POLICY } from '../../src/convert/https.js';

const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const SNI = 'arn:aws:acm:eu-west-1:123456789012:certificate/66666666-7777-8888-9999-000000000000';

describe('convert: HTTPS (x-aws-certificate)', () => {
  it('serves port 80 as HTTPS on 443 with the certificate and the TLS policy, and redirects 80 to HTTPS with a 301', () => {
    const { template } = convertYaml(`x-aws-certificate: ${CERT}\nservices: { web: { image: nginx, ports: ["80:8080"] } }`);
    expect(props(template, 'WebTCP443Listener')).to.deep.include({
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: CERT }],
      SslPolicy: TLS_POLICY,
      DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: { Ref: 'WebTCP80TargetGroup' } }] } }],
    });
    expect(props(template, 'WebTCP80Listener')).to.deep.include({
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' } }],
    });
    expect(props(template, 'WebTCP80TargetGroup')).to.deep.include({ Port: 8080, Protocol: 'HTTP' });
    const ingress = props(template, 'LoadBalancerSecurityGroup').SecurityGroupIngress.map((r: { FromPort: number }) => r.FromPort);
    expect(ingress).to.deep.equal([80, 443]);
    const service = template.Resources.WebService!;
    expect(service.DependsOn).to.include('WebTCP443Listener');
    expect(service.DependsOn).not.to.include('WebTCP80Listener');
  });

  it('adds the other certificates for SNI with a ListenerCertificate', () => {
    const { template } = convertYaml(`x-aws-certificate: [${CERT}, ${SNI}]\nservices: { web: { image: nginx, ports: ["443:80"] } }`);
    expect(props(template, 'WebTCP443Listener').Certificates).to.deep.equal([{ CertificateArn: CERT }]);
    expect(props(template, 'WebTCP443ListenerCertificates')).to.deep.equal({ ListenerArn: { Ref: 'WebTCP443Listener' }, Certificates: [{ CertificateArn: SNI }] });
    expect(template.Resources).not.to.have.property('WebTCP80Listener');
  });

  it('keeps the 443 target of a service that publishes 80 and 443 (HTTPS to container port 443) and only redirects its 80', () => {
    const { template } = convertYaml(`x-aws-certificate: ${CERT}\nservices: { web: { image: nginx, ports: ["80:80", "443:443"] } }`);
    expect(props(template, 'WebTCP443Listener').DefaultActions[0].ForwardConfig.TargetGroups[0].TargetGroupArn).to.deep.equal({ Ref: 'WebTCP443TargetGroup' });
    expect(props(template, 'WebTCP443TargetGroup')).to.deep.include({ Port: 443, Protocol: 'HTTPS' });
    expect(props(template, 'WebTCP80Listener').DefaultActions[0].Type).to.equal('redirect');
    expect(template.Resources).not.to.have.property('WebTCP80TargetGroup');
    expect(props(template, 'WebService').LoadBalancers).to.have.length(1);
  });

  it('serves every other published HTTP port as HTTPS on its own port', () => {
    const { template } = convertYaml(`x-aws-certificate: ${CERT}\nservices: { web: { image: nginx, ports: [{ target: 3000, published: "8443", x-aws-protocol: http }] } }`);
    expect(props(template, 'WebTCP8443Listener')).to.deep.include({ Port: 8443, Protocol: 'HTTPS', SslPolicy: TLS_POLICY });
  });

  it('makes 443 a TLS listener on a Network Load Balancer and leaves its TCP ports alone', () => {
    const { template } = convertYaml(`x-aws-certificate: ${CERT}\nservices: { web: { image: nginx, ports: ["443:8080"] }, db: { image: postgres, ports: ["5432:5432"] } }`);
    expect(props(template, 'WebTCP443Listener')).to.deep.include({ Protocol: 'TLS', Certificates: [{ CertificateArn: CERT }], SslPolicy: TLS_POLICY });
    expect(props(template, 'WebTCP443TargetGroup').Protocol).to.equal('TCP');
    expect(props(template, 'DbTCP5432Listener')).to.deep.include({ Protocol: 'TCP' });
    expect(props(template, 'DbTCP5432Listener')).not.to.have.property('Certificates');
  });

  it('leaves plain HTTP as it was without a certificate', () => {
    const { template } = convertYaml('services: { web: { image: nginx, ports: ["80:80"] } }');
    expect(props(template, 'WebTCP80Listener')).to.deep.include({ Port: 80, Protocol: 'HTTP' });
    expect(template.Resources).not.to.have.property('WebTCP443Listener');
  });

  it('refuses port 443 without a certificate on an Application Load Balancer, naming the file, line, service and key', () => {
    const e = refusal('services:\n  web:\n    image: nginx\n    ports: ["443:443"]\n');
    expect(e.message).to.equal(
      'Service web publishes port 443, which the Application Load Balancer would serve as plain HTTP without a certificate; name an ACM certificate with x-aws-certificate at the top level to serve HTTPS.',
    );
    expect(e.where).to.deep.include({ path: 'services.web.ports', line: 4 });
    expect(e.where?.file).to.match(/compose\.yaml$/);
  });

  it('refuses a value that is not an ACM certificate ARN, and port 80 of one service where another serves 443', () => {
    expect(refusal('x-aws-certificate: my-cert\nservices: { web: { image: nginx, ports: ["80:80"] } }').message).to.equal(
      'x-aws-certificate lists "my-cert", which is not the ARN of an ACM certificate (arn:aws:acm:<region>:<account>:certificate/<id>).',
    );
    expect(refusal(`x-aws-certificate: { arn: x }\nservices: { web: { image: nginx } }`).message).to.match(/^x-aws-certificate must be the ARN of an ACM certificate, or a list of them/);
    expect(refusal(`x-aws-certificate: ${CERT}\nservices: { web: { image: nginx, ports: ["80:80"] }, api: { image: nginx, ports: ["443:80"] } }`).message).to.equal(
      'Services web and api publish ports 80 and 443; with x-aws-certificate, port 80 only redirects to HTTPS on 443, which api serves, so web would get no traffic.',
    );
  });
});
