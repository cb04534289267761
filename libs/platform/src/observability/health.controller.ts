import { Controller, Get, Inject } from '@nestjs/common';
import { Transport, type KafkaOptions } from '@nestjs/microservices';
import { ApiTags } from '@nestjs/swagger';
import { kafkaSecurityFromEnv } from '@sangam/messaging';
import { HealthCheck, HealthCheckService, MicroserviceHealthIndicator, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../kafka/kafka.tokens';
import { PublicRoute } from '../access/route-policy';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly microservice: MicroserviceHealthIndicator,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /** Liveness: the process answers. A supervisor restarts a service that stops answering this, never one whose database is down. */
  @Get('live')
  @PublicRoute()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness (also plain `/health`, as the contract has it): the database and Kafka answer, so requests can be served. */
  @Get(['', 'ready'])
  @PublicRoute()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () =>
        this.microservice.pingCheck<KafkaOptions>('kafka', {
          transport: Transport.KAFKA,
          timeout: 3000,
          options: {
            client: {
              clientId: `sangam-${this.config.service}-health`,
              brokers: this.config.kafkaBrokers,
              retry: { retries: 0 },
              ...kafkaSecurityFromEnv(),
            },
          },
        }),
    ]);
  }
}
