import { PassThrough } from 'node:stream';
import pino from 'pino';
import { PinoNestLogger } from './service-logger';

/** A PinoNestLogger over a pino logger at `level`, and the lines it has written. */
function nestLogger(level = 'info') {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>));
  return { logger: new PinoNestLogger(pino({ level }, stream)), lines };
}

describe('Nest logs through the service logger', () => {
  it('write the message with its context and level', () => {
    const { logger, lines } = nestLogger();
    logger.log('Relay started', 'OutboxRelay');
    logger.warn('Consumer lags', 'ConsumerHost');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'Relay started', context: 'OutboxRelay' }),
      expect.objectContaining({ level: 40, msg: 'Consumer lags', context: 'ConsumerHost' }),
    ]);
  });

  it('write an Error as err, with its stack, and merge an object into the line', () => {
    const { logger, lines } = nestLogger();
    logger.error(new Error('the broker is away'), 'Kafka');
    logger.log({ msg: 'batch applied', events: 3 }, 'Projector');
    expect(lines[0]).toMatchObject({
      level: 50,
      context: 'Kafka',
      err: { message: 'the broker is away', stack: expect.stringMatching(/\n\s+at /) },
    });
    expect(lines[1]).toMatchObject({ level: 30, context: 'Projector', msg: 'batch applied', events: 3 });
  });

  it("take Nest's exception handlers' (message, stack, context) as the error they report", () => {
    const { logger, lines } = nestLogger();
    logger.error('Cannot read properties of undefined', 'TypeError: x\n    at handler (file.ts:1:1)', 'ExceptionsHandler');
    expect(lines).toEqual([
      expect.objectContaining({
        context: 'ExceptionsHandler',
        err: expect.objectContaining({
          message: 'Cannot read properties of undefined',
          stack: 'TypeError: x\n    at handler (file.ts:1:1)',
        }),
      }),
    ]);
  });

  it('write nothing below the level, and format arguments into the message', () => {
    const { logger, lines } = nestLogger('info');
    logger.debug('not written', 'Quiet');
    logger.verbose('not written', 'Quiet');
    logger.log('%d events', 12, 'Projector');
    expect(lines).toEqual([expect.objectContaining({ msg: '12 events', context: 'Projector' })]);
  });
});
