import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { readGenerations, rebuildsRunning } from '../generations';
import { consumerNameOf } from '../projection';
import { topicsOf, type ProjectionContext } from '../projection-context';
import { generationProgress } from '../projection-progress';
import { PROJECTIONS } from '../projection-registry';
import { PROJECTION_CONTEXT } from '../projection-runner';
import type { EntityManager } from 'typeorm';
import { ProjectionView, type DeadLetterView } from './projection.view';
import { Policy } from '@sangam/platform';

const deadLettersOf = (manager: EntityManager, consumer: string): Promise<DeadLetterView[]> =>
  manager.query(
    `SELECT event_id AS "eventId", topic, partition, "offset"::int AS "offset", error, dead_lettered_at AS "deadLetteredAt"
     FROM public.consumer_dead_letters WHERE consumer = $1 ORDER BY dead_lettered_at`,
    [consumer],
  );

@ApiTags('projections')
@Controller('projections')
export class GetProjectionsController {
  constructor(@Inject(PROJECTION_CONTEXT) private readonly context: ProjectionContext) {}

  @Get()
  @Policy(['operator'])
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Each read model: live or rebuilding, its checkpoint and lag per topic-partition' })
  @ApiOkResponse({ type: [ProjectionView] })
  async list(): Promise<ProjectionView[]> {
    const { dataSource, admin } = this.context;
    const generations = await readGenerations(dataSource.manager);
    const running = await rebuildsRunning(dataSource.manager);
    return Promise.all(
      PROJECTIONS.map(async (projection) => {
        const { live, rebuilding, refilling } = generations.find((g) => g.projection === projection.name)!;
        const progressOf = (generation: number) =>
          generationProgress(dataSource.manager, admin, consumerNameOf(projection.name, generation), topicsOf(this.context, projection));
        const current = await progressOf(live);
        const rebuild = rebuilding === null ? null : await progressOf(rebuilding);
        const deadLetters = await deadLettersOf(dataSource.manager, consumerNameOf(projection.name, live));
        return {
          name: projection.name,
          status: running.has(projection.lockKey) || refilling ? 'rebuilding' : deadLetters.length > 0 ? 'degraded' : 'live',
          generation: live,
          lag: current.lag,
          checkpoints: current.partitions,
          rebuild: rebuild && {
            generation: rebuilding!,
            running: running.has(projection.lockKey),
            lag: rebuild.lag,
            checkpoints: rebuild.partitions,
          },
          deadLetters,
        };
      }),
    );
  }
}
