import { PassThrough } from 'node:stream';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import pinoHttp from 'pino-http';
import { requestLogSerializers } from './request-log';

/** One request through pino-http configured as the services configure it; the log line it wrote. */
function logLineFor(headers: Record<string, string>, statusCode: number): Record<string, unknown> {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  const log = pinoHttp({ serializers: requestLogSerializers, wrapSerializers: false }, stream);
  const request = new IncomingMessage(new Socket());
  Object.assign(request, { method: 'POST', url: '/webhooks/banks/b-1', headers });
  const response = new ServerResponse(request);
  log(request, response);
  response.statusCode = statusCode;
  response.emit('finish');
  return JSON.parse(lines.join(''));
}

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
});
