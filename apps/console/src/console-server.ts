import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { ConsoleConfig } from './console-config';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The page may talk to itself, the services and the identity provider, and to nothing else. */
function securityHeaders(config: ConsoleConfig): Record<string, string> {
  const origins = [...Object.values(config.public.services), new URL(config.public.oidc.authority).origin];
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      `connect-src 'self' ${[...new Set(origins)].join(' ')}`,
      "img-src 'self' data:",
      "style-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'self'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': TYPES['.json'], 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * Serves the built console: its files, `/config.json`, `/health`, and `index.html` for every other
 * path (the sign-in callback and deep links land there).
 */
export function createConsoleServer(config: ConsoleConfig): Server {
  const headers = securityHeaders(config);
  const index = join(config.staticDir, 'index.html');
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://console').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, { error: 'method_not_allowed', message: 'The console only serves GET' });
    if (path === '/health')
      return existsSync(index)
        ? sendJson(res, 200, { status: 'ok' })
        : sendJson(res, 503, { error: 'service_unavailable', message: 'The console has not been built' });
    if (path === '/config.json') return sendJson(res, 200, config.public);
    const file = normalize(join(config.staticDir, path));
    const inside = file.startsWith(config.staticDir + sep);
    const target = inside && extname(file) && existsSync(file) && statSync(file).isFile() ? file : extname(path) ? undefined : index;
    if (!target || !existsSync(target)) return sendJson(res, 404, { error: 'not_found', message: 'No such file' });
    // Vite names its assets by content hash: they never change; index.html must always be fresh.
    const cache = target.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream', 'Cache-Control': cache });
    if (req.method === 'HEAD') return res.end();
    createReadStream(target).pipe(res);
  });
}
