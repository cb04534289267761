import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const target = process.argv[3]; const depth = Number(process.argv[4] ?? 6);
const byId = new Map<number, any>(p.nodes.map((n: any) => [n.id, n]));
const parent = new Map<number, number>(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const m = new Map<string, number>();
p.samples.forEach((id: number, i: number) => {
  const n = byId.get(id); if (n.callFrame.functionName !== target) return;
  const chain: string[] = []; let cur = parent.get(id);
  while (cur !== undefined && chain.length < depth) { const c = byId.get(cur).callFrame; chain.push(`${c.functionName || '?'}@${c.url.split('/').slice(-2).join('/')}:${c.lineNumber + 1}`); cur = parent.get(cur); }
  const k = chain.join(' < '); m.set(k, (m.get(k) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
});
for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(v.toFixed(0).padStart(6), k);
