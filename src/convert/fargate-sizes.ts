/**
 * Fargate task sizes (Linux), as AWS documents them today: CPU in CPU units (1024 = 1 vCPU) and the
 * memory values (MiB) each CPU size accepts. The old integration stopped at 4 vCPU / 30 GiB and
 * compared millicores with CPU units; here compose `cpus` are vCPUs and become units by x1024.
 */
import { UserError } from '../errors.js';

/** Fargate platform 1.4.0, as before: the first with EFS, and still the current Linux version. */
export const FARGATE_PLATFORM_VERSION = '1.4.0';

const GiB = 1024;
const range = (from: number, to: number, step: number): number[] => {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
};

export interface FargateSize {
  cpu: number;
  memory: number;
}

export const FARGATE_SIZES: readonly { cpu: number; memory: readonly number[] }[] = Object.freeze([
  { cpu: 256, memory: [512, 1 * GiB, 2 * GiB] },
  { cpu: 512, memory: range(1 * GiB, 4 * GiB, 1 * GiB) },
  { cpu: 1024, memory: range(2 * GiB, 8 * GiB, 1 * GiB) },
  { cpu: 2048, memory: range(4 * GiB, 16 * GiB, 1 * GiB) },
  { cpu: 4096, memory: range(8 * GiB, 30 * GiB, 1 * GiB) },
  { cpu: 8192, memory: range(16 * GiB, 60 * GiB, 4 * GiB) },
  { cpu: 16384, memory: range(32 * GiB, 120 * GiB, 8 * GiB) },
]);

export const DEFAULT_FARGATE_SIZE: FargateSize = Object.freeze({ cpu: 256, memory: 512 });

/**
 * The smallest Fargate size that holds `cpus` vCPUs and `memoryBytes` bytes: the first CPU size at
 * least as large as asked that also has a memory value at least as large as asked.
 */
export function selectFargateSize(cpus: number | undefined, memoryBytes: number | undefined, service: string): FargateSize {
  if (cpus === undefined && memoryBytes === undefined) return DEFAULT_FARGATE_SIZE;
  const wantCpu = cpus === undefined ? 0 : Math.ceil(cpus * 1024);
  const wantMemory = memoryBytes === undefined ? 0 : Math.ceil(memoryBytes / (1024 * 1024));
  for (const size of FARGATE_SIZES) {
    if (size.cpu < wantCpu) continue;
    const memory = size.memory.find((m) => m >= wantMemory);
    if (memory !== undefined) return { cpu: size.cpu, memory };
  }
  const asked = [cpus !== undefined ? `${cpus} vCPU` : undefined, memoryBytes !== undefined ? `${wantMemory} MiB` : undefined]
    .filter(Boolean)
    .join(' and ');
  throw new UserError(`Service ${service} asks for ${asked} in deploy.resources, more than the largest Fargate task (16 vCPU, 120 GiB).`, {
    where: { path: `services.${service}.deploy.resources` },
    hint: 'Lower the limits or split the service.',
  });
}
