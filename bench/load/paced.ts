import { Agent, request } from 'node:http';

/** One request of a paced load: what to send, and what to do with a 2xx answer's body. */
export interface PacedRequest {
  path: string;
  body: string;
  headers: Record<string, string>;
  onSuccess: (body: string) => void;
}

/** A request not answered in this time counts as an error (the run must end). */
const REQUEST_TIMEOUT_MS = 60_000;

export interface PacedResult {
  /** Answered 2xx, a second, from the first request's schedule to the last answer. */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  refused: number;
  errors: number;
}

/**
 * An open-model load: request k is due at start + k / rate, whatever the answers before it (over
 * at most `connections` keep-alive connections; the ones due while all are busy queue for one).
 * autocannon's rate is a cap per second: each connection sends as fast as it is answered until the
 * second's quota is spent, so 500 a second arrived as one burst at the start of each second, and the
 * lag measured was that of a burst. Latency counts from when a request was due, so time spent
 * queued behind a slow answer is not hidden (coordinated omission).
 */
export function pacedLoad(
  options: { url: string; connections: number; seconds: number; rate: number },
  next: () => PacedRequest,
): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  let refused = 0;
  let errors = 0;
  let answered = 0;
  let lastAnswerAt = 0;
  const start = performance.now();
  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy();
      latencies.sort((a, b) => a - b);
      const at = (q: number) =>
        latencies.length === 0 ? NaN : Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
      const elapsedSeconds = Math.max(options.seconds, (lastAnswerAt - start) / 1000);
      resolve({ requestsPerSecond: Math.round(latencies.length / elapsedSeconds), p50Ms: at(0.5), p99Ms: at(0.99), refused, errors });
    };
    const settle = () => {
      lastAnswerAt = performance.now();
      if (++answered === total) finish();
    };
    const send = (dueAt: number) => {
      const { path, body, headers, onSuccess } = next();
      // Each request settles once, whatever comes first: its answer, an error, or the timeout.
      let settled = false;
      const once = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        outcome();
        settle();
      };
      const req = request(
        `${options.url}${path}`,
        { method: 'POST', agent, timeout: REQUEST_TIMEOUT_MS, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', () => once(() => errors++));
          res.on('end', () =>
            once(() => {
              const status = res.statusCode ?? 0;
              if (status < 200 || status >= 300) return void refused++;
              latencies.push(performance.now() - dueAt);
              onSuccess(Buffer.concat(chunks).toString('utf8'));
            }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', () => once(() => errors++));
      req.end(body);
    };
    let sent = 0;
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * options.rate) / 1000) + 1);
      for (; sent < due; sent++) send(start + (sent * 1000) / options.rate);
      if (sent < total) setTimeout(tick, 1);
    };
    if (total === 0) finish();
    else tick();
  });
}
