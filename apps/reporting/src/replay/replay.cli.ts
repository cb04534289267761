/** `npm run replay -- <projection|all> [--from-beginning]`: rebuilds read models beside the live ones and swaps them in. */
import { Presets, SingleBar } from 'cli-progress';
import { loadServiceConfig } from '@sangam/platform';
import { ensureGenerations } from '../projections/generations';
import type { Projection } from '../projections/projection';
import { PROJECTIONS, projectionNamed } from '../projections/projection-registry';
import { rebuild, RebuildRefused, type RebuildSummary } from './rebuild';
import { openReplayContext } from './replay-context';

const USAGE = `usage: npm run replay -- <projection|all> [--from-beginning]
  projections: ${PROJECTIONS.map((p) => p.name).join(', ')}
  --from-beginning  discard what an interrupted replay left and start again from offset 0
                    (without it, an interrupted replay of the projection resumes where it stopped)`;

function parseArguments(args: string[]): { projections: Projection[]; fromBeginning: boolean } | null {
  const fromBeginning = args.includes('--from-beginning');
  const names = args.filter((a) => a !== '--from-beginning');
  if (names.length !== 1) return null;
  if (names[0] === 'all') return { projections: [...PROJECTIONS], fromBeginning };
  const projection = projectionNamed(names[0]);
  return projection ? { projections: [projection], fromBeginning } : null;
}

const formatNumber = (n: number) => n.toLocaleString('en-IN');

const newBar = () =>
  new SingleBar(
    {
      format: '{projection} g{generation} |{bar}| {percentage}% | {value}/{total} events | {speed} events/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );

/** One bar per projection, drawn from its first progress report; events/s counts from there, so a resumed run shows its own speed. */
function progressBars() {
  let bar: SingleBar | null = null;
  let current = { projection: '', generation: 0, at: 0, applied: -1 };
  return {
    start(projection: Projection, generation: number, resumed: boolean) {
      bar?.stop();
      bar = null;
      if (resumed) console.log(`${projection.name}: resuming the interrupted rebuild of generation ${generation}`);
      current = { projection: projection.name, generation, at: 0, applied: -1 };
    },
    update(applied: number, total: number) {
      if (!bar) {
        current = { ...current, at: Date.now(), applied };
        bar = newBar();
        bar.start(total, applied, { projection: current.projection, generation: current.generation, speed: 0 });
        return;
      }
      const seconds = (Date.now() - current.at) / 1000;
      bar.setTotal(total);
      bar.update(applied, { speed: formatNumber(Math.round((applied - current.applied) / seconds)) });
    },
    stop: () => bar?.stop(),
  };
}

const describe = (s: RebuildSummary): string =>
  s.swapped
    ? `${s.projection}: generation ${s.generation} is live (replaced ${s.replacedGeneration}); ${formatNumber(s.events)} events in ${Math.round(s.seconds * 10) / 10} s, ${formatNumber(s.eventsPerSecond)} events/s`
    : `${s.projection}: interrupted after ${formatNumber(s.events)} events; generation ${s.generation} is kept, run the same command to resume (or add --from-beginning)`;

async function main(): Promise<number> {
  const parsed = parseArguments(process.argv.slice(2));
  if (!parsed) {
    console.error(USAGE);
    return 2;
  }
  const replay = await openReplayContext(loadServiceConfig('reporting'));
  const abort = new AbortController();
  process.on('SIGINT', () => (abort.signal.aborted ? process.exit(130) : abort.abort()));
  const bar = progressBars();
  try {
    await ensureGenerations(replay.context.dataSource, PROJECTIONS);
    const summaries = await rebuild(replay.context, parsed.projections, {
      fromBeginning: parsed.fromBeginning,
      signal: abort.signal,
      onStart: (projection, generation, resumed) => bar.start(projection, generation, resumed),
      onProgress: (_, progress) => bar.update(progress.applied, progress.total),
    }).finally(() => bar.stop());
    console.log(summaries.map(describe).join('\n'));
    return summaries.every((s) => s.swapped) ? 0 : 1;
  } catch (error) {
    if (!(error instanceof RebuildRefused)) throw error;
    console.error(`refused: ${error.message}`);
    return 2;
  } finally {
    await replay.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
