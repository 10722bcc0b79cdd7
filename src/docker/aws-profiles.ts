import { loadSharedConfigFiles } from '@smithy/core/config';

/**
 * What the shared AWS files (~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE /
 * AWS_SHARED_CREDENTIALS_FILE) say about profiles. Read with the SDK's own loader so we parse
 * them exactly as the credential chain will. Only names and regions are read; keys are never
 * looked at, copied or printed.
 */
export interface AwsProfiles {
  names: string[];
  regionOf(profile: string): string | undefined;
}

export async function readAwsProfiles(): Promise<AwsProfiles> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const names = [...new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)])].sort();
  return {
    names,
    regionOf: (profile) => configFile[profile]?.region ?? undefined,
  };
}
