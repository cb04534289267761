import { PassThrough } from 'node:stream';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import pino from 'pino';
import { requestLog } from './request-log';

/** One request through pino-http configured as the services configure it; the log line it wrote. */
function logLinesFor(headers: Record<string, string>, statusCode: number, url = '/webhooks/banks/b-1'): Record<string, unknown>[] {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  const log = requestLog(pino(stream));
  const request = new IncomingMessage(new Socket());
  Object.assign(request, { method: 'POST', url, headers });
  const response = new ServerResponse(request);
  log(request, response);
  response.statusCode = statusCode;
  response.emit('finish');
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

const logLineFor = (headers: Record<string, string>, statusCode: number) => {
  const [line, ...more] = logLinesFor(headers, statusCode);
  expect(more).toEqual([]);
  return line;
};

describe('request log lines', () => {
  it('say what was asked and how it was answered, and hold no header: no token, signature or key reaches the log', () => {
    const line = logLineFor(
      { authorization: 'Bearer secret-token', 'webhook-signature': 'v1,c2lnbmF0dXJl', 'idempotency-key': 'key-1' },
      202,
    );
    expect(line).toMatchObject({ req: { method: 'POST', url: '/webhooks/banks/b-1' }, res: { statusCode: 202 } });
    expect(line.responseTime).toEqual(expect.any(Number));
    expect(JSON.stringify(line)).not.toMatch(/secret-token|c2lnbmF0dXJl|key-1|headers/);
  });

  it('keep the error of a failed request', () => {
    expect(logLineFor({}, 500)).toMatchObject({ res: { statusCode: 500 }, err: { message: 'failed with status code 500' } });
  });

  it('are not written for health probes and metrics scrapes', () => {
    expect(logLinesFor({}, 200, '/health/ready')).toEqual([]);
    expect(logLinesFor({}, 200, '/metrics')).toEqual([]);
  });
});
