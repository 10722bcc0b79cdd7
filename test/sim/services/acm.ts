/** AWS Certificate Manager (JSON 1.1): DescribeCertificate over the scenario's `certificates`. */
import { SimError } from '../errors.js';
import type { World } from '../world.js';
import type { Handler } from './types.js';

/** The scenario certificate with this ARN, if any (listeners check theirs too). */
export function certificate(world: World, arn: string): { arn: string; domain: string; status: string } | undefined {
  const c = (world.scenario.certificates ?? []).find((x) => x.arn === arn);
  return c && { arn: c.arn, domain: c.domain ?? 'example.com', status: c.status ?? 'ISSUED' };
}

export const acm: Record<string, Handler> = {
  DescribeCertificate({ world, params }) {
    const arn = String(params.CertificateArn ?? '');
    if (!/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(arn)) throw new SimError('InvalidArnException', `String '${arn}' is not a valid ARN.`);
    const c = certificate(world, arn);
    // a certificate of another region is not found in this one, as in AWS
    if (!c || arn.split(':')[3] !== world.region) throw new SimError('ResourceNotFoundException', `Could not find certificate ${arn}.`);
    return {
      Certificate: {
        CertificateArn: c.arn,
        DomainName: c.domain,
        SubjectAlternativeNames: [c.domain],
        Status: c.status,
        Type: 'AMAZON_ISSUED',
        KeyAlgorithm: 'RSA_2048',
        InUseBy: [...world.listeners.values()].filter((l) => l.certificates?.includes(c.arn)).map((l) => l.loadBalancerArn),
      },
    };
  },
};
