import { homedir } from 'node:os';
import { join } from 'node:path';
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

export async function readAwsProfiles(env: NodeJS.ProcessEnv): Promise<AwsProfiles> {
  const home = env.HOME || homedir();
  const { configFile, credentialsFile } = await loadSharedConfigFiles({
    ignoreCache: true,
    configFilepath: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
    filepath: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
  });
  const names = [...new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)])].sort();
  return {
    names,
    regionOf: (profile) => configFile[profile]?.region ?? undefined,
  };
}
