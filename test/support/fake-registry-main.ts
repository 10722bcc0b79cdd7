// The fake registry as a process of its own: images as JSON in argv[2], prints host:port once listening.
import { startFakeRegistry, type FakeImage } from './fake-registry.js';

const registry = await startFakeRegistry(JSON.parse(process.argv[2] ?? '[]') as FakeImage[]);
console.log(registry.host);
