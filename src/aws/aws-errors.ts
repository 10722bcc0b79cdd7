/**
 * AWS errors a user can fix (no credentials, expired session, missing permission, unknown
 * region) as one sentence that says what to do, instead of an "unexpected error". Anything
 * else is left as it is.
 */
import { UserError } from '../errors.js';

interface AwsLikeError {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function explainAwsError(e: unknown, region: string): UserError | undefined {
  if (!e || typeof e !== 'object' || e instanceof UserError) return undefined;
  const err = e as AwsLikeError;
  const name = err.name ?? err.Code ?? '';
  const message = (err.message ?? '').replace(/\s+$/, '');
  if (name === 'CredentialsProviderError' || /Could not load credentials|Token is expired|SSO session .* (expired|invalid)|unable to load SSO token/i.test(message)) {
    return new UserError(`No usable AWS credentials: ${message.replace(/\.$/, '')}.`, {
      hint: 'Sign in again (e.g. "aws sso login --profile <name>"), or check the profile of the Docker context.',
      code: 'aws.credentials',
    });
  }
  if (/^(ExpiredToken|ExpiredTokenException|RequestExpired)$/.test(name)) {
    return new UserError('The AWS session has expired.', { hint: 'Refresh the credentials and run the command again.', code: 'aws.expired' });
  }
  if (/^(InvalidClientTokenId|UnrecognizedClientException|InvalidSignatureException|SignatureDoesNotMatch)$/.test(name)) {
    return new UserError('AWS does not accept these credentials (unknown access key or wrong secret).', {
      hint: 'Check the profile or the AWS_* environment variables the Docker context uses.',
      code: 'aws.credentials',
    });
  }
  if (/^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnauthorizedException|AuthorizationError)$/.test(name)) {
    return new UserError(`AWS denied a call: ${message.replace(/\.$/, '')}.`, {
      hint: 'The identity needs the permissions listed in the README.',
      code: 'aws.denied',
    });
  }
  if (/getaddrinfo ENOTFOUND/.test(message) && !process.env.AWS_ENDPOINT_URL) {
    return new UserError(`Cannot reach AWS in region "${region}" (${message}).`, {
      hint: 'Check the region of the Docker context and the network.',
      code: 'aws.network',
    });
  }
  return undefined;
}

/** Runs `f`, turning fixable AWS errors into UserErrors. */
export async function explainingAwsErrors<T>(region: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw explainAwsError(e, region) ?? e;
  }
}
