import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConsoleConfig } from './console-config';
import { createConsoleServer } from './console-server';

describe('the console server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sangam-console-'));
  const built = join(dir, 'built');
  let server: Server;
  let base: string;

  const start = async (staticDir: string) => {
    const config = loadConsoleConfig({
      CONSOLE_STATIC_DIR: staticDir,
      GROUPS_PORT: '4001',
      REPORTING_URL: 'https://reporting.example.org/',
      KEYCLOAK_URL: 'http://id.example.org',
    });
    server = createConsoleServer(config);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  };

  beforeAll(() => {
    mkdirSync(join(built, 'assets'), { recursive: true });
    writeFileSync(join(built, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(built, 'assets/index-abc.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'not for browsers');
  });
  afterEach(() => new Promise((resolve) => server.close(resolve)));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('tells the browser where to sign in and which services to call', async () => {
    await start(built);
    const response = await fetch(`${base}/config.json`);
    expect(await response.json()).toEqual({
      oidc: { authority: 'http://id.example.org/realms/sangam', clientId: 'sangam-web' },
      services: {
        groups: 'http://127.0.0.1:4001',
        lending: 'http://127.0.0.1:3002',
        bankLinkage: 'http://127.0.0.1:3003',
        reporting: 'https://reporting.example.org',
      },
    });
  });

  it('serves the app for the sign-in callback and deep links, its hashed assets for a year, under a strict CSP', async () => {
    await start(built);
    const callback = await fetch(`${base}/callback?code=x&state=y`);
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain('<title>console</title>');
    expect(callback.headers.get('content-security-policy')).toContain(
      "connect-src 'self' http://127.0.0.1:4001 http://127.0.0.1:3002 http://127.0.0.1:3003 https://reporting.example.org http://id.example.org",
    );
    const asset = await fetch(`${base}/assets/index-abc.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it("answers a missing file or a way out of its folder 404 in the contract's error shape", async () => {
    await start(built);
    for (const path of ['/assets/missing.js', '/../secret.txt', '/%2e%2e/secret.txt']) {
      const response = await fetch(`${base}${path}`);
      expect([path, response.status, await response.json()]).toEqual([path, 404, { error: 'not_found', message: 'No such file' }]);
    }
  });

  it('is healthy only once the app is built', async () => {
    await start(built);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    await new Promise((resolve) => server.close(resolve));
    await start(join(dir, 'not-built'));
    expect((await fetch(`${base}/health`)).status).toBe(503);
  });

  it('refuses a service URL that is not one', () => {
    expect(() => loadConsoleConfig({ LENDING_URL: 'lending:3002' })).toThrow("LENDING_URL must be an http(s) URL, got 'lending:3002'");
  });
});
