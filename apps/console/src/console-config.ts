import { isAbsolute, join } from 'node:path';

/** What the browser is told at `/config.json`: where to sign in and which services to call. */
export interface PublicConfig {
  oidc: { authority: string; clientId: string };
  services: { groups: string; lending: string; bankLinkage: string; reporting: string };
}

export interface ConsoleConfig {
  host: string;
  port: number;
  /** The built web app (Vite's output). */
  staticDir: string;
  public: PublicConfig;
}

const url = (env: NodeJS.ProcessEnv, name: string, fallback: string): string => {
  const value = (env[name] || fallback).replace(/\/$/, '');
  if (!/^https?:\/\/\S+$/.test(value)) throw new Error(`Invalid configuration for console: ${name} must be an http(s) URL, got '${value}'`);
  return value;
};

const port = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const value = Number(env[name] || fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`Invalid configuration for console: ${name} must be a port number, got '${env[name]}'`);
  return value;
};

/**
 * The console serves the browser app and tells it where the services are. Each service URL can be
 * set outright (GROUPS_URL, ...: a console in front of services elsewhere) or follows the
 * service's port variable, as `npm start` runs them on this machine.
 */
export function loadConsoleConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ConsoleConfig {
  const local = (portVar: string, fallback: number) => `http://127.0.0.1:${port(env, portVar, fallback)}`;
  const staticDir = env.CONSOLE_STATIC_DIR || 'dist/console';
  return {
    host: env.HOST || '127.0.0.1',
    port: port(env, 'CONSOLE_PORT', 3000),
    staticDir: isAbsolute(staticDir) ? staticDir : join(cwd, staticDir),
    public: {
      oidc: {
        authority: url(env, 'OIDC_ISSUER', `${url(env, 'KEYCLOAK_URL', 'http://127.0.0.1:8080')}/realms/sangam`),
        clientId: env.OIDC_CLIENT_ID || 'sangam-web',
      },
      services: {
        groups: url(env, 'GROUPS_URL', local('GROUPS_PORT', 3001)),
        lending: url(env, 'LENDING_URL', local('LENDING_PORT', 3002)),
        bankLinkage: url(env, 'BANK_LINKAGE_URL', local('BANK_LINKAGE_PORT', 3003)),
        reporting: url(env, 'REPORTING_URL', local('REPORTING_PORT', 3004)),
      },
    },
  };
}
