import { Controller, Get, Inject } from '@nestjs/common';
import { Transport, type KafkaOptions } from '@nestjs/microservices';
import { ApiTags } from '@nestjs/swagger';
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

  @Get()
  @PublicRoute()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () =>
        this.microservice.pingCheck<KafkaOptions>('kafka', {
          transport: Transport.KAFKA,
          timeout: 3000,
          options: { client: { clientId: `sangam-${this.config.service}-health`, brokers: this.config.kafkaBrokers, retry: { retries: 0 } } },
        }),
    ]);
  }
}
