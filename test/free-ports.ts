import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Free ports for processes a test starts. They are taken below the kernel's ephemeral range
 * (ip_local_port_range), never from it: a port found free there can become an outgoing
 * connection's local port in the seconds before a slow process (a JVM) binds it, as a CI run saw
 * ("Unable to start acceptor for PLAINTEXT").
 */
const LOWEST = 20000;

function ephemeralStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** A base port P, outside the ephemeral range, with P + each offset free. */
export async function freePorts(offsets: number[]): Promise<number> {
  const span = Math.max(...offsets) + 1;
  const room = ephemeralStart() - LOWEST - span;
  for (;;) {
    const base = LOWEST + Math.floor(Math.random() * room);
    if ((await Promise.all(offsets.map((offset) => portFree(base + offset)))).every(Boolean)) return base;
  }
}

/** One free port outside the ephemeral range. */
export const freePort = () => freePorts([0]);
