/** `npm run dlq -- list | show <id> | redrive <id|--all>`: the dead letters of every event topic. */
import { listDeadLetters, redriveDeadLetter, type DeadLetterEntry } from '@sangam/messaging';
import { loadServiceConfig } from '@sangam/platform';
import { kafkaFor, runCli, UsageError } from './cli-support';

const summary = (entry: DeadLetterEntry) =>
  [
    entry.id,
    entry.eventType ?? '(unreadable)',
    entry.consumer,
    entry.redrivenAt ? `re-driven ${entry.redrivenAt}` : 'pending',
    entry.error.slice(0, 80),
  ].join('  ');

function find(entries: DeadLetterEntry[], id: string | undefined): DeadLetterEntry {
  if (!id) throw new UsageError('give the id of a dead letter (see list)');
  const entry = entries.find((e) => e.id === id);
  if (!entry) throw new UsageError(`no dead letter ${id}`);
  return entry;
}

runCli('npm run dlq -- list | show <id> | redrive <id|--all>', async ([command, target]) => {
  const kafka = kafkaFor(loadServiceConfig('reporting'), 'dlq');
  const entries = await listDeadLetters(kafka);
  switch (command) {
    case 'list':
      if (entries.length === 0) console.log('no dead letters');
      entries.forEach((entry) => console.log(summary(entry)));
      return;
    case 'show': {
      const { headers: _headers, ...entry } = find(entries, target);
      console.log(JSON.stringify({ ...entry, value: tryParse(entry.value) }, null, 2));
      return;
    }
    case 'redrive': {
      const chosen = target === '--all' ? entries.filter((e) => !e.redrivenAt) : [find(entries, target)];
      for (const entry of chosen) {
        await redriveDeadLetter(kafka, entry);
        console.log(`re-drove ${entry.id} to ${entry.sourceTopic}`);
      }
      console.log(`${chosen.length} dead letter(s) re-driven`);
      return;
    }
    default:
      throw new UsageError(`unknown command '${command ?? ''}'`);
  }
});

function tryParse(value: string | null): unknown {
  try {
    return value === null ? null : JSON.parse(value);
  } catch {
    return value;
  }
}
