import { benchAppends, APPEND_CASES } from '../append.bench';
(async () => {
  APPEND_CASES.splice(0, 3);
  const r = await benchAppends(process.argv[2] === 'c', 4);
  console.log(JSON.stringify(r.map(x => [x.sangam.perSecond, x.emmett?.perSecond, x.ratio])));
})();
