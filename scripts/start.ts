/**
 * `npm start`: the local Kafka broker (unless KAFKA_BROKERS is set), then the four services,
 * each in its own process; each creates and migrates its database on start. Ctrl-C stops
 * the services, then the broker this script started.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const SERVICES = ['groups', 'lending', 'bank-linkage', 'reporting'] as const;
const root = join(__dirname, '..');
const kafkaScript = join(root, 'infra/kafka/kafka.sh');
const ownsBroker = !process.env.KAFKA_BROKERS && spawnSync('bash', [kafkaScript, 'status']).status !== 0;

function kafka(command: 'start' | 'stop'): void {
  const result = spawnSync('bash', [kafkaScript, command], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`infra/kafka/kafka.sh ${command} failed`);
}

const children = new Map<string, ChildProcess>();
let stopping = false;

function startService(name: string): void {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', join(root, `apps/${name}/src/main.ts`)], {
    cwd: root,
    stdio: 'inherit',
    // A plain PORT would send all four to one port; each takes its own (GROUPS_PORT, ...) or its default.
    env: { ...process.env, PORT: undefined },
  });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`[start] ${name} exited (${signal ?? code}); stopping everything`);
      void stop(1);
    }
  });
}

async function stop(exitCode = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\n[start] stopping services...');
  const exits = [...children.values()].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children.values()) child.kill('SIGTERM');
  const timeout = setTimeout(() => children.forEach((child) => child.kill('SIGKILL')), 15000);
  await Promise.all(exits);
  clearTimeout(timeout);
  if (ownsBroker) kafka('stop');
  process.exit(exitCode);
}

process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

if (ownsBroker) kafka('start');
for (const service of SERVICES) startService(service);
console.log(`[start] groups :3001  lending :3002  bank-linkage :3003  reporting :3004  (Ctrl-C stops all)`);
