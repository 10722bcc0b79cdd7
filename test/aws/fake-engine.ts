// A Docker engine for tests of aws/build-images.ts and up: it records what it is asked, and has
// the images it built (with the ExposedPorts keys `declares` gives) and those `local` lists.
import type { ImageEngine } from '../../src/aws/build-images.js';
import type { ImageBuild } from '../../src/convert/image-builds.js';

export const D1 = `sha256:${'1'.repeat(64)}`;
export const D2 = `sha256:${'2'.repeat(64)}`;

export class FakeEngine implements ImageEngine {
  readonly description = 'the engine of docker context "default"';
  readonly calls: string[] = [];
  /** the RepoDigests docker would report for a reference */
  local: Record<string, string[]> = {};
  /** the Config.ExposedPorts keys of the images the engine has, by reference */
  images: Record<string, string[]> = {};
  /** what a build of each service declares (EXPOSE) */
  declares: Record<string, string[]> = {};
  pushDigest = D2;
  async login(l: { host: string; auth: string }) {
    this.calls.push(`login ${l.host}`);
  }
  async build(b: ImageBuild, reference: string) {
    this.calls.push(`build ${b.service} ${b.platform} ${reference}`);
    this.images[reference] = this.declares[b.service] ?? [];
  }
  async repoDigests(reference: string) {
    return this.local[reference] ?? [];
  }
  async exposedPorts(reference: string) {
    return this.images[reference];
  }
  async push(reference: string, withLogin: boolean) {
    this.calls.push(`push ${reference}${withLogin ? '' : ' (own credentials)'}`);
    return this.pushDigest;
  }
  async dispose() {}
}
