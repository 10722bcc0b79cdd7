/**
 * `up` checks the x-aws-certificate certificates before any stack change: each must be in the
 * stack's region (a load balancer takes only certificates of its own region: "Use ACM certificates
 * with Elastic Load Balancing"), exist, and be ISSUED (a certificate pending validation, expired or
 * revoked makes the listener fail half-way through the stack). ACM DescribeCertificate, one call each.
 */
import { UserError } from '../errors.js';
import { certificateRegion } from '../convert/https.js';
import type { AwsClients } from './clients.js';

export async function checkCertificates(clients: AwsClients, certificates: readonly string[] | undefined): Promise<void> {
  if (!certificates?.length) return;
  for (const arn of certificates) {
    const region = certificateRegion(arn);
    if (region !== clients.region) {
      throw new UserError(`x-aws-certificate ${arn} is in ${region}, but the stack deploys to ${clients.region}; a load balancer takes certificates of its own region only.`, {
        where: { path: 'x-aws-certificate' },
        hint: `Request or import the certificate in ACM in ${clients.region}, or use a Docker context for ${region}.`,
      });
    }
  }
  const { DescribeCertificateCommand } = await import('@aws-sdk/client-acm');
  const acm = await clients.acm();
  for (const arn of certificates) {
    const res = await acm.send(new DescribeCertificateCommand({ CertificateArn: arn })).catch((e: { name?: string }) => {
      if (e.name === 'ResourceNotFoundException' || e.name === 'InvalidArnException') {
        throw new UserError(`x-aws-certificate ${arn} does not exist in ACM in ${clients.region}.`, {
          where: { path: 'x-aws-certificate' },
          hint: 'Check the ARN (aws acm list-certificates) and the AWS account of the Docker context.',
        });
      }
      throw e;
    });
    const status = res.Certificate?.Status ?? 'UNKNOWN';
    if (status !== 'ISSUED') {
      throw new UserError(`x-aws-certificate ${arn} is ${status}, not ISSUED, so a load balancer cannot use it.`, {
        where: { path: 'x-aws-certificate' },
        hint: status === 'PENDING_VALIDATION' ? 'Finish its DNS or e-mail validation in ACM, then run up again.' : 'Renew or replace it in ACM, then run up again.',
      });
    }
  }
}
