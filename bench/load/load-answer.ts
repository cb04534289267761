import type autocannon from 'autocannon';

/**
 * What a load generator of bench/load/ prints when autocannon is done, as the one line of JSON that
 * `runLoadScript` reads: rate of 2xx answers, latency, and the ids answered 2xx for the benchmark to
 * look up in the service's store.
 */
export const printLoadAnswer =
  (seconds: number, accepted: string[]) =>
  (error: Error | null, result: autocannon.Result): void => {
    if (error) throw error;
    process.stdout.write(
      `${JSON.stringify({
        requestsPerSecond: Math.round(result['2xx'] / seconds),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        accepted,
        refused: result.non2xx,
        errors: result.errors + result.timeouts,
      })}\n`,
    );
  };
