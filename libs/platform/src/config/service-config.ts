import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min, ValidateIf, validateSync } from 'class-validator';
import { DEFAULT_BUSINESS_DATE_LIMITS, isBusinessDate, type BusinessDateLimits } from '@sangam/domain';
import { brokersFromEnv } from '@sangam/messaging';
import { DEFAULT_DATABASE_URL } from './database-default';
import type { OidcConfig } from '../access/token-verifier';

export { DEFAULT_DATABASE_URL };

export const SERVICES = {
  groups: { port: 3001, portVar: 'GROUPS_PORT' },
  lending: { port: 3002, portVar: 'LENDING_PORT' },
  'bank-linkage': { port: 3003, portVar: 'BANK_LINKAGE_PORT' },
  reporting: { port: 3004, portVar: 'REPORTING_PORT' },
} as const;

export type ServiceName = keyof typeof SERVICES;

class EnvironmentVariables {
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]*$/, { message: 'DATABASE_NAME_PREFIX must be a lowercase identifier' })
  DATABASE_NAME_PREFIX?: string;

  @IsOptional()
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' })
  KAFKA_BROKERS?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_PARTITIONS?: number;

  // Read by libs/messaging (topicSettingsFromEnv, kafkaSecurityFromEnv); validated here so a bad value stops the service at start.
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(10)
  KAFKA_REPLICATION_FACTOR?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(10)
  KAFKA_MIN_INSYNC_REPLICAS?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: 'KAFKA_DLQ_RETENTION_MS must be a whole number of milliseconds (-1 keeps dead letters forever)' })
  @Min(-1, { message: 'KAFKA_DLQ_RETENTION_MS must be a whole number of milliseconds (-1 keeps dead letters forever)' })
  KAFKA_DLQ_RETENTION_MS?: number;

  @IsOptional()
  @IsIn(['on', 'off'], { message: 'KAFKA_SSL must be on or off' })
  KAFKA_SSL?: string;

  @IsOptional()
  @IsString()
  KAFKA_SSL_CA_FILE?: string;

  @IsOptional()
  @IsIn(['plain', 'scram-sha-256', 'scram-sha-512'], { message: 'KAFKA_SASL_MECHANISM must be plain, scram-sha-256 or scram-sha-512' })
  KAFKA_SASL_MECHANISM?: string;

  @ValidateIf((env: EnvironmentVariables) => env.KAFKA_SASL_MECHANISM !== undefined)
  @IsNotEmpty({ message: 'KAFKA_SASL_USERNAME is needed with KAFKA_SASL_MECHANISM' })
  KAFKA_SASL_USERNAME?: string;

  @ValidateIf((env: EnvironmentVariables) => env.KAFKA_SASL_MECHANISM !== undefined)
  @IsNotEmpty({ message: 'KAFKA_SASL_PASSWORD is needed with KAFKA_SASL_MECHANISM' })
  KAFKA_SASL_PASSWORD?: string;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @IsIn(['on', 'off'], { message: 'API_DOCS must be on or off' })
  API_DOCS?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(31_536_000)
  SAGA_STUCK_AFTER_SECONDS?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(36_500)
  PROCESSED_EVENTS_RETENTION_DAYS?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(36_500)
  OUTBOX_RETENTION_DAYS?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(36_500)
  WEBHOOK_DELIVERY_RETENTION_DAYS?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(10_080)
  HOUSEKEEPING_INTERVAL_MINUTES?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(100)
  @Max(600_000)
  DATABASE_CONNECT_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DATABASE_STATEMENT_TIMEOUT_MS?: number;

  @IsOptional()
  @Matches(/^https?:\/\/[^,\s/]+(,https?:\/\/[^,\s/]+)*$/, {
    message: 'CORS_ORIGINS must be origins like http://127.0.0.1:3000, comma-separated',
  })
  CORS_ORIGINS?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(65535)
  CONSOLE_PORT?: number;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'KEYCLOAK_URL must be an http(s) URL' })
  KEYCLOAK_URL?: string;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'OIDC_ISSUER must be an http(s) URL' })
  OIDC_ISSUER?: string;

  @IsOptional()
  @IsString()
  @Matches(/^\S+$/, { message: 'OIDC_AUDIENCE must be one word' })
  OIDC_AUDIENCE?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_:/-]+(\.[A-Za-z0-9_:/-]+)*$/, { message: 'OIDC_ROLES_CLAIM must be a dotted claim path like realm_access.roles' })
  OIDC_ROLES_CLAIM?: string;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'OIDC_JWKS_URL must be an http(s) URL' })
  OIDC_JWKS_URL?: string;

  @IsOptional()
  @IsString()
  BUSINESS_DATE_MIN?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: 'BUSINESS_DATE_FUTURE_DAYS must be a whole number of days from 0 to 366' })
  @Min(0, { message: 'BUSINESS_DATE_FUTURE_DAYS must be a whole number of days from 0 to 366' })
  @Max(366, { message: 'BUSINESS_DATE_FUTURE_DAYS must be a whole number of days from 0 to 366' })
  BUSINESS_DATE_FUTURE_DAYS?: number;
}

/** The earliest date a fact may carry: a real date from 1000-01-01 (fee years are four digits) to today. */
function businessDateMinProblem(value: string | undefined, today: string): string | null {
  if (value === undefined) return null;
  return isBusinessDate(value) && value >= '1000-01-01' && value <= today
    ? null
    : `BUSINESS_DATE_MIN must be a real date written YYYY-MM-DD from 1000-01-01 to today (${today})`;
}

export interface ServiceConfig {
  service: ServiceName;
  host: string;
  port: number;
  databaseUrl: string;
  databaseName: string;
  kafkaBrokers: string[];
  kafkaPartitions: number;
  logLevel: string;
  /** Browser pages that may call the API (CORS): CORS_ORIGINS, else the web console on this machine. */
  corsOrigins: string[];
  /** `/docs` and `/docs-json` are served: API_DOCS, else everywhere but NODE_ENV=production. */
  apiDocs: boolean;
  oidc: OidcConfig;
  /** A loan waiting for its money longer than this is shown to operators and counted in a metric. */
  sagaStuckAfterSeconds: number;
  /** How long rows that only grow are kept (see libs/platform/src/housekeeping). */
  retention: { processedEventsDays: number; outboxDays: number; webhookDeliveriesDays: number; intervalMinutes: number };
  /** Which dates facts may carry: BUSINESS_DATE_MIN (default 1980-01-01) to BUSINESS_DATE_FUTURE_DAYS (default 7) after today. */
  businessDates: BusinessDateLimits;
}

export class ConfigurationError extends Error {}

/** The local Keycloak that `npm start` and the tests run (infra/keycloak). */
export const DEFAULT_KEYCLOAK_URL = 'http://127.0.0.1:8080';

/** The web console as `npm start` serves it: the realm's sangam-web client redirects to both names. */
const consoleOrigins = (port: number) => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];

export const databaseNameFor = (service: ServiceName, prefix = 'sangam'): string => `${prefix}_${service.replace('-', '_')}`;

/** Reads and validates the environment once at start-up; a bad value stops the service with a clear message. */
export function loadServiceConfig(service: ServiceName, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const portVar = SERVICES[service].portVar;
  const raw = { ...env, PORT: env[portVar] ?? env.PORT };
  for (const key of Object.keys(raw) as (keyof typeof raw)[]) if (raw[key] === '') delete raw[key];
  const parsed = plainToInstance(EnvironmentVariables, raw);
  const errors = validateSync(parsed, { skipMissingProperties: false });
  const minProblem = businessDateMinProblem(parsed.BUSINESS_DATE_MIN, new Date().toISOString().slice(0, 10));
  if (errors.length > 0 || minProblem) {
    const lines = errors.flatMap((e) =>
      Object.values(e.constraints ?? {}).map((m) => (e.property === 'PORT' ? m.replace('PORT', `${portVar} (or PORT)`) : m)),
    );
    if (minProblem) lines.push(minProblem);
    throw new ConfigurationError(`Invalid configuration for ${service}:\n  - ${lines.join('\n  - ')}`);
  }
  return {
    service,
    host: parsed.HOST ?? '127.0.0.1',
    port: parsed.PORT ?? SERVICES[service].port,
    databaseUrl: parsed.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    databaseName: databaseNameFor(service, parsed.DATABASE_NAME_PREFIX),
    kafkaBrokers: brokersFromEnv(parsed.KAFKA_BROKERS),
    kafkaPartitions: parsed.KAFKA_PARTITIONS ?? 6,
    logLevel: parsed.LOG_LEVEL ?? 'info',
    corsOrigins: parsed.CORS_ORIGINS?.split(',') ?? consoleOrigins(parsed.CONSOLE_PORT ?? 3000),
    apiDocs: parsed.API_DOCS ? parsed.API_DOCS === 'on' : env.NODE_ENV !== 'production',
    sagaStuckAfterSeconds: parsed.SAGA_STUCK_AFTER_SECONDS ?? 300,
    retention: {
      processedEventsDays: parsed.PROCESSED_EVENTS_RETENTION_DAYS ?? 90,
      outboxDays: parsed.OUTBOX_RETENTION_DAYS ?? 7,
      webhookDeliveriesDays: parsed.WEBHOOK_DELIVERY_RETENTION_DAYS ?? 30,
      intervalMinutes: parsed.HOUSEKEEPING_INTERVAL_MINUTES ?? 60,
    },
    oidc: {
      issuer: parsed.OIDC_ISSUER ?? `${(parsed.KEYCLOAK_URL ?? DEFAULT_KEYCLOAK_URL).replace(/\/$/, '')}/realms/sangam`,
      audience: parsed.OIDC_AUDIENCE ?? 'sangam',
      rolesClaim: parsed.OIDC_ROLES_CLAIM ?? 'realm_access.roles',
      jwksUrl: parsed.OIDC_JWKS_URL,
    },
    businessDates: {
      earliest: parsed.BUSINESS_DATE_MIN ?? DEFAULT_BUSINESS_DATE_LIMITS.earliest,
      futureDays: parsed.BUSINESS_DATE_FUTURE_DAYS ?? DEFAULT_BUSINESS_DATE_LIMITS.futureDays,
    },
  };
}
