import type { LoggerService } from '@nestjs/common';
import pino, { type Level, type Logger } from 'pino';

/** The service's pino logger (provided by PlatformModule). */
export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');

/** One pino logger per service: JSON lines on stdout, or single pretty lines on a terminal. */
export function serviceLogger(service: string, level: string): Logger {
  return pino({
    name: service,
    level,
    transport: process.stdout.isTTY ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
  });
}

/**
 * Nest's logs (the framework's and every `new Logger(Context)` of the services) written by the
 * service's pino logger: the context as `context`, an Error as `err`, other objects merged in.
 *
 * It takes the place of nestjs-pino, whose request-scoped loggers live in an AsyncLocalStorage: on
 * Node 20 one `run()` switches on promise hooks for the whole process, a cost paid by every promise
 * of every request, relay and consumer. Request lines come from pino-http (request-log.ts).
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  verbose = (message: unknown, ...rest: unknown[]) => this.write('trace', message, rest);
  debug = (message: unknown, ...rest: unknown[]) => this.write('debug', message, rest);
  log = (message: unknown, ...rest: unknown[]) => this.write('info', message, rest);
  warn = (message: unknown, ...rest: unknown[]) => this.write('warn', message, rest);
  error = (message: unknown, ...rest: unknown[]) => this.write('error', message, rest);
  fatal = (message: unknown, ...rest: unknown[]) => this.write('fatal', message, rest);

  /** Nest passes the context last; before it may come a stack (errors) or format arguments. */
  private write(level: Level, message: unknown, rest: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const args = rest.length > 0 ? rest.slice(0, -1) : [];
    if (rest.length > 0) fields.context = rest[rest.length - 1];
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, ...(args as []));
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, ...message }, ...(args as []));
    } else if (level === 'error' && args.length === 1 && typeof args[0] === 'string' && /\n\s*at /.test(args[0])) {
      // Nest's exception handlers call error(message, stack, context): logged as the error it was.
      const err = new Error(String(message));
      err.stack = args[0];
      this.logger.error({ ...fields, err });
    } else {
      this.logger[level](fields, String(message), ...(args as []));
    }
  }
}
