import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Kafka } from 'kafkajs';
import { KAFKA } from '../kafka/kafka.tokens';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(KAFKA) private readonly kafka: Kafka,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 2000 }), () => this.kafkaCheck()]);
  }

  private async kafkaCheck() {
    const indicator = this.indicators.check('kafka');
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    try {
      await withTimeout(admin.connect().then(() => admin.describeCluster()), 3000);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : 'unreachable' });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref())]);
