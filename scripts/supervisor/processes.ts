/**
 * What `npm start` supervises: the four services and the web console from their compiled
 * JavaScript (build.ts). The broker and Keycloak are started before them by their own
 * scripts (infra/kafka, infra/keycloak) and are not restarted by the supervisor.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compiledMain, ROOT } from './build';
import type { ProcessSpec } from './supervisor';

/** The same ports as SERVICES in libs/platform/src/config/service-config.ts (a test keeps them equal). */
export const SERVICE_PORTS = {
  groups: { port: 3001, portVar: 'GROUPS_PORT' },
  lending: { port: 3002, portVar: 'LENDING_PORT' },
  'bank-linkage': { port: 3003, portVar: 'BANK_LINKAGE_PORT' },
  reporting: { port: 3004, portVar: 'REPORTING_PORT' },
} as const;

export type ServiceName = keyof typeof SERVICE_PORTS;
export const SERVICE_NAMES = Object.keys(SERVICE_PORTS) as ServiceName[];

/** The web console of the contract (127.0.0.1:3000, CONSOLE_PORT): apps/console. */
export const CONSOLE = { name: 'console', port: 3000, portVar: 'CONSOLE_PORT', entry: 'apps/console/src/main.ts' } as const;

export const portOf = (name: ServiceName, env: NodeJS.ProcessEnv = process.env): number =>
  Number(env[SERVICE_PORTS[name].portVar] || SERVICE_PORTS[name].port);

/** Where the supervisor asks a child whether it is up: HOST unless it listens on every interface. */
const probeHost = (env: NodeJS.ProcessEnv) => (!env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST);

export function serviceProcess(name: ServiceName, env: NodeJS.ProcessEnv = process.env, root = ROOT): ProcessSpec {
  return {
    name,
    command: process.execPath,
    args: [compiledMain(name, root)],
    // A plain PORT would send all four to one port; each takes its own (GROUPS_PORT, ...) or its default.
    env: { ...env, PORT: undefined },
    healthUrl: `http://${probeHost(env)}:${portOf(name, env)}/health`,
  };
}

/**
 * The console serves the bundle build.ts made (dist/console) on CONSOLE_PORT (default 3000) and is
 * checked at `/health` like the services.
 */
export function consoleProcess(env: NodeJS.ProcessEnv = process.env, root = ROOT): ProcessSpec | undefined {
  if (!existsSync(join(root, CONSOLE.entry))) return undefined;
  const port = Number(env[CONSOLE.portVar] || CONSOLE.port);
  return {
    name: CONSOLE.name,
    command: process.execPath,
    args: [compiledMain(CONSOLE.name, root)],
    env: { ...env, PORT: undefined, [CONSOLE.portVar]: String(port) },
    healthUrl: `http://${probeHost(env)}:${port}/health`,
  };
}

export function supervisedProcesses(env: NodeJS.ProcessEnv = process.env, root = ROOT): ProcessSpec[] {
  const console = consoleProcess(env, root);
  return [...SERVICE_NAMES.map((name) => serviceProcess(name, env, root)), ...(console ? [console] : [])];
}
