import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map<number, any>(p.nodes.map((n: any) => [n.id, n]));
const m = new Map<string, number>(); let total = 0;
p.samples.forEach((id: number, i: number) => {
  const n = byId.get(id); const url: string = n.callFrame.url; const ms = (p.timeDeltas[i] ?? 0) / 1000; total += ms;
  let key = url.includes('node_modules/') ? url.split('node_modules/').pop()!.split('/').slice(0, url.split('node_modules/').pop()!.startsWith('@') ? 2 : 1).join('/') : url.includes('/dist/') ? 'dist:' + url.split('/dist/')[1].split('/').slice(0, 3).join('/') : url.startsWith('node:') ? url : (n.callFrame.functionName || '(anon)') + ' [native]';
  m.set(key, (m.get(key) ?? 0) + ms);
});
for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 40))) console.log(v.toFixed(0).padStart(7), (100 * v / total).toFixed(1).padStart(5), k);
