/**
 * `npm start`: the local Kafka broker (unless KAFKA_BROKERS is set) and the local Keycloak
 * (unless KEYCLOAK_URL is set), then the four services, each in its own process; each creates
 * and migrates its database on start. Ctrl-C stops the services, then the broker and Keycloak
 * if this script started them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const SERVICES = ['groups', 'lending', 'bank-linkage', 'reporting'] as const;
const root = join(__dirname, '..');
const script = (name: 'kafka' | 'keycloak') => join(root, `infra/${name}/${name}.sh`);
const ownsBroker = !process.env.KAFKA_BROKERS && spawnSync('bash', [script('kafka'), 'status']).status !== 0;
const ownsKeycloak = !process.env.KEYCLOAK_URL && spawnSync('bash', [script('keycloak'), 'status']).status !== 0;

function local(name: 'kafka' | 'keycloak', command: 'start' | 'stop'): void {
  const result = spawnSync('bash', [script(name), command], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`infra/${name}/${name}.sh ${command} failed`);
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
  if (ownsKeycloak) local('keycloak', 'stop');
  if (ownsBroker) local('kafka', 'stop');
  process.exit(exitCode);
}

process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

if (ownsBroker) local('kafka', 'start');
if (ownsKeycloak) local('keycloak', 'start');
for (const service of SERVICES) startService(service);
console.log(`[start] groups :3001  lending :3002  bank-linkage :3003  reporting :3004  (Ctrl-C stops all)`);
