/**
 * Reachability figures on the corpus (`node --import tsx scripts/reachability-report.ts`): for
 * every project that converts (offline, as `convert` does), how many `name:port` references from
 * one service to another resolve by short name, only by `<svc>.<project>.local`, or not at all,
 * read off the template by `reachability`. Prints one line per project with references, then the
 * totals and how many projects convert.
 */
import { load } from '../src/compose/load.js';
import { nodeFileReader } from '../src/compose/node-reader.js';
import { reachability, shortNamesOf } from '../src/convert/reachability.js';
import { serviceReferences } from '../src/convert/references.js';
import { convertCorpusEntry, corpusEntries } from '../test/golden/corpus.js';

const totals = { 'short-name': 0, fqdn: 0, none: 0 };
let converting = 0;
const bare = { named: 0, unnamed: 0 };
const entries = corpusEntries();
for (const entry of entries) {
  const result = convertCorpusEntry(entry);
  if (result.kind !== 'template') continue;
  converting++;
  const project = load({ cwd: entry.dir, env: {}, files: [entry.file], reader: nodeFileReader });
  const all = serviceReferences(project);
  // a bare host name (`DATABASE_HOST: db`): works by short name when the server has any short name at all
  for (const r of all.filter((x) => x.port === undefined)) {
    const named = r.host === r.to && shortNamesOf(result.template, r.to).length > 0;
    bare[named ? 'named' : 'unnamed']++;
    console.log(`${entry.name}: ${r.from}->${r.host} (no port) ${named ? 'has a short name' : 'no short name'}`);
  }
  const refs = all.filter((r) => r.port !== undefined);
  if (refs.length === 0) continue;
  const answers = reachability(
    result.template,
    refs.map((r) => ({ from: r.from, to: r.to, port: r.port!, protocol: 'tcp' as const })),
  );
  // a reference through an alias resolves by short name only if the alias itself does: it never does on ECS
  const reach = answers.map((a, i) => (refs[i]!.host !== refs[i]!.to && a.reach === 'short-name' ? 'fqdn' : a.reach));
  for (const r of reach) totals[r]++;
  console.log(`${entry.name}: ${refs.map((r, i) => `${r.from}->${r.host}:${r.port} ${reach[i]}`).join(', ')}`);
}
console.log(`references: ${totals['short-name']} by short name, ${totals.fqdn} only by FQDN, ${totals.none} not at all`);
console.log(`bare host names: ${bare.named} whose service has a short name, ${bare.unnamed} whose service has none`);
console.log(`projects converting: ${converting} of ${entries.length}`);
