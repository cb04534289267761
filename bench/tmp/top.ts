import { readFileSync } from 'node:fs';
import { topSelfTime } from '../profile';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const e of topSelfTime(p, Number(process.argv[3] ?? 25))) console.log(e.selfMs.toFixed(0).padStart(6), (e.share*100).toFixed(1).padStart(5), e.where);
