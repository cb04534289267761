import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './free-ports';

const root = join(__dirname, '..');
export const NODES = 3;

/** A base port P with P..P+2 (clients) and P+100..P+102 (controllers) free. */
const freeBasePort = () => freePorts([0, 1, 2, 100, 101, 102]);

function kafkaSh(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(root, 'infra/kafka/kafka.sh'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`kafka.sh ${args.join(' ')} exited ${code}:\n${output}`))));
  });
}

export interface LocalKafkaCluster {
  /** The first client port; node i listens on base + i - 1. */
  base: number;
  brokers: string[];
  /** Runs infra/kafka/kafka.sh against this cluster (start brings back a dead node). */
  kafkaSh(args: string[]): Promise<string>;
  /** SIGKILLs a node (its KRaft node id, 1..3), as the kernel would. */
  kill(node: number): void;
  /** Stops the nodes, kills any left and removes their data. */
  remove(): Promise<void>;
}

/**
 * A cluster for `kafka.sh start --nodes 3` on ports and data dirs of its own (the shared broker on
 * 9092 is not touched): three broker+controller KRaft nodes with modest heaps, quick to start.
 * Not started yet: the caller keeps it before starting it, so that `remove` stops whatever a start
 * that timed out left running.
 */
export async function localKafkaCluster(): Promise<LocalKafkaCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'sangam-kafka-cluster-'));
  const base = await freeBasePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: undefined,
    KAFKA_NODES: String(NODES),
    KAFKA_PORT: String(base),
    KAFKA_DATA_DIR: dir,
    // Three JVMs on a small, shared machine: modest heaps, and quick to start (kafka.sh waits up to 120 s for them).
    KAFKA_HEAP_OPTS: '-Xms96m -Xmx256m',
    KAFKA_JVM_OPTS: '-XX:+UseSerialGC -XX:TieredStopAtLevel=1',
  };
  const pidOf = (node: number) => Number(readFileSync(join(dir, `node-${node}`, 'broker.pid'), 'utf8'));
  const kill = (node: number) => {
    try {
      process.kill(pidOf(node), 'SIGKILL');
    } catch {
      // gone
    }
  };
  const logTails = () =>
    Array.from({ length: NODES }, (_, i) => join(dir, `node-${i + 1}`, 'broker.log'))
      .filter((log) => existsSync(log))
      .map((log) => `${log}:\n${readFileSync(log, 'utf8').split('\n').slice(-25).join('\n')}`)
      .join('\n');
  const cluster: LocalKafkaCluster = {
    base,
    brokers: Array.from({ length: NODES }, (_, i) => `127.0.0.1:${base + i}`),
    // The nodes' last lines explain a failure, once the data dir is gone.
    kafkaSh: (args) => kafkaSh(args, env).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${logTails()}`))),
    kill,
    remove: async () => {
      await kafkaSh(['stop'], env).catch(() => undefined);
      for (let node = 1; node <= NODES; node++) if (existsSync(join(dir, `node-${node}`, 'broker.pid'))) kill(node);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}
