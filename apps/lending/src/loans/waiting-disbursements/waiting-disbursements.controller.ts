import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { Metrics, Policy, SERVICE_CONFIG, type ServiceConfig } from '@sangam/platform';

export class WaitingQuery {
  @ApiPropertyOptional({ description: 'Waiting longer than this many seconds (default: SAGA_STUCK_AFTER_SECONDS)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(31_536_000)
  olderThanSeconds?: number;
}

export class WaitingDisbursement {
  @ApiProperty({ format: 'uuid' }) loanId: string;
  @ApiProperty({ enum: ['credit-line', 'shg-savings'], description: 'Whose answer it waits for: bank-linkage or groups' })
  fundingSource: string;
  @ApiProperty({ format: 'date-time', description: 'When the money was asked for' }) requestedAt: string;
  @ApiProperty() waitingSeconds: number;
}

const WAITING = (olderThanSeconds: number): [string, unknown[]] => [
  `SELECT loan_id AS "loanId", funding_source AS "fundingSource", status_since AS "requestedAt",
          floor(extract(epoch FROM now() - status_since))::int AS "waitingSeconds"
   FROM loan_index WHERE status = 'disbursement_pending' AND status_since < now() - make_interval(secs => $1)
   ORDER BY status_since`,
  [olderThanSeconds],
];

/**
 * Sagas stuck in silence made visible: loans whose money was asked for and not answered in time
 * (the owner's consumer may have dead-lettered the request: re-drive it, and the loan completes).
 */
@ApiTags('operations')
@Controller('disbursements/waiting')
export class WaitingDisbursementsController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    metrics: Metrics,
  ) {
    metrics.gaugeFromDatabase(
      dataSource,
      'sangam_disbursements_waiting_too_long',
      'Loans in disbursement_pending longer than SAGA_STUCK_AFTER_SECONDS',
      [],
      () => {
        const [sql, parameters] = WAITING(config.sagaStuckAfterSeconds);
        return [`SELECT count(*) AS value FROM (${sql}) waiting`, parameters];
      },
    );
  }

  @Get()
  @Policy(['operator'])
  @ApiBearerAuth()
  @ApiOkResponse({ type: [WaitingDisbursement] })
  list(@Query() query: WaitingQuery): Promise<WaitingDisbursement[]> {
    return this.dataSource.query(...WAITING(query.olderThanSeconds ?? this.config.sagaStuckAfterSeconds));
  }
}
