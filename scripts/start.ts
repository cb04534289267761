/**
 * `npm start`: the local Kafka broker, or a three-node cluster with KAFKA_NODES=3 (unless
 * KAFKA_BROKERS is set), the local Keycloak (unless KEYCLOAK_URL is set), then the services from
 * compiled JavaScript and the web console (built first when dist/ is older than the sources), each in its own process
 * and supervised (scripts/supervisor): one that exits is restarted with backoff, one that keeps
 * crashing at start-up is reported and left stopped, the rest keeps running. Ctrl-C stops the
 * services (SIGTERM, then SIGKILL after SUPERVISOR_STOP_TIMEOUT_MS, default 15 s; a second
 * Ctrl-C kills them at once), then the broker and Keycloak if this script started them.
 *
 * The supervisor writes its state to .cache/supervisor/status.json (SUPERVISOR_STATUS_FILE):
 * each process's pid, state, restarts and last exit.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { buildIfStale, ROOT } from './supervisor/build';
import { CONSOLE, portOf, SERVICE_NAMES, supervisedProcesses } from './supervisor/processes';
import { restartPolicyFromEnv } from './supervisor/restart-policy';
import { Supervisor, type SupervisorStatus } from './supervisor/supervisor';

const script = (name: 'kafka' | 'keycloak') => join(ROOT, `infra/${name}/${name}.sh`);
const say = (line: string) => console.error(line);

function local(name: 'kafka' | 'keycloak', command: 'start' | 'stop'): void {
  const result = spawnSync('bash', [script(name), command], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`infra/${name}/${name}.sh ${command} failed`);
}

/** 200 from the URL within a second. */
function probe(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

function statusWriter(file: string): (status: SupervisorStatus) => void {
  mkdirSync(dirname(file), { recursive: true });
  return (status) => {
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ ...status, updatedAt: new Date().toISOString() }, null, 2)}\n`);
    renameSync(temporary, file);
  };
}

/** Children log pino JSON to the pipe; on a terminal it is shown the way pino-pretty shows it. */
function outputFormatter(): (line: string) => string {
  if (!process.stdout.isTTY) return (line) => line;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a dev dependency, loaded only when a terminal shows the logs
    const pretty = (require('pino-pretty') as typeof import('pino-pretty')).prettyFactory({ singleLine: true });
    return (line) => (line.startsWith('{') ? pretty(line).replace(/\n$/, '') : line);
  } catch {
    return (line) => line;
  }
}

async function main(): Promise<void> {
  const env = { ...process.env };
  const nodes = Number(env.KAFKA_NODES || 1);
  if (!Number.isInteger(nodes) || nodes < 1) throw new Error(`KAFKA_NODES must be a whole number >= 1, got '${env.KAFKA_NODES}'`);
  const kafkaStatus = () => spawnSync('bash', [script('kafka'), 'status'], { env, stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;
  const ownsBroker = !env.KAFKA_BROKERS && !kafkaStatus();
  const ownsKeycloak = !env.KEYCLOAK_URL && spawnSync('bash', [script('keycloak'), 'status']).status !== 0;
  if (!env.KAFKA_BROKERS && nodes > 1) {
    // The services bootstrap from every node, so that any one of them may be down when one starts.
    env.KAFKA_BROKERS = spawnSync('bash', [script('kafka'), 'brokers'], { env, encoding: 'utf8' }).stdout.trim();
  }

  await buildIfStale(say);
  if (ownsBroker) local('kafka', 'start');
  try {
    if (ownsKeycloak) local('keycloak', 'start');
  } catch (error) {
    if (ownsBroker) local('kafka', 'stop');
    throw error;
  }

  const format = outputFormatter();
  const statusFile = env.SUPERVISOR_STATUS_FILE || join(ROOT, '.cache/supervisor/status.json');
  const supervisor = new Supervisor(supervisedProcesses(env), {
    spawn: (spec) => spawn(spec.command, spec.args, { cwd: ROOT, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true }),
    policy: restartPolicyFromEnv(env),
    stopTimeoutMs: Number(env.SUPERVISOR_STOP_TIMEOUT_MS || 15_000),
    probe,
    log: say,
    output: (name, stream, line) => {
      if (stream === 'stdout') process.stdout.write(`${format(line)}\n`);
      else process.stderr.write(`[${name}] ${line}\n`);
    },
    onChange: statusWriter(statusFile),
  });

  let stopRequestedAt = 0;
  const stopAll = async (exitCode: number) => {
    say('\n[supervisor] stopping services...');
    await supervisor.stop();
    try {
      if (ownsKeycloak) local('keycloak', 'stop');
      if (ownsBroker) local('kafka', 'stop');
    } finally {
      process.exit(exitCode);
    }
  };
  const onSignal = () => {
    const now = Date.now();
    if (stopRequestedAt === 0) {
      stopRequestedAt = now;
      void stopAll(0);
    } else if (now - stopRequestedAt > 1000) {
      // A second Ctrl-C (npm and the terminal may each deliver the first one: those are ignored).
      say('[supervisor] stopping now');
      supervisor.kill();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  // Children are in their own process groups: if this process fails, they must not outlive it.
  process.on('exit', () => {
    for (const p of supervisor.status().processes)
      if (p.pid)
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
  });
  process.on('uncaughtException', (error) => {
    say(`[supervisor] ${error.stack ?? error.message}`);
    if (stopRequestedAt === 0) {
      stopRequestedAt = Date.now();
      void stopAll(1);
    }
  });

  supervisor.start();
  const consolePort = env[CONSOLE.portVar] || CONSOLE.port;
  const ports = [...SERVICE_NAMES.map((name) => `${name} :${portOf(name, env)}`), `console http://127.0.0.1:${consolePort}`].join('  ');
  say(`[supervisor] ${ports}  (status: ${statusFile}; Ctrl-C stops all)`);
}

main().catch((error) => {
  say(`[start] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
