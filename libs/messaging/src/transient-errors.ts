/**
 * Errors that a later attempt can fix (the database is down, a deadlock, a serialization
 * failure). A consumer waits these out instead of dead-lettering the message.
 */
const TRANSIENT_SQLSTATE_CLASSES = ['08', '40', '53', '57'];
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/** The Postgres SQLSTATE or Node error code of an error, whether TypeORM wrapped the driver's error or not; '' when there is none. */
export function errorCode(error: unknown): string {
  const candidate = error as { code?: string | number; driverError?: { code?: string | number } } | null | undefined;
  return String(candidate?.driverError?.code ?? candidate?.code ?? '');
}

export function isTransient(error: unknown): boolean {
  const code = errorCode(error);
  if (TRANSIENT_NODE_CODES.has(code)) return true;
  if (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return true;
  // The last: the database is closed to connections for maintenance (ALLOW_CONNECTIONS false), SQLSTATE 55000.
  return /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect|is not currently accepting connections/i.test(
    String((error as { message?: string } | null | undefined)?.message ?? ''),
  );
}
