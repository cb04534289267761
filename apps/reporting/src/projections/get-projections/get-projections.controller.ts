import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { readGenerations, rebuildsRunning } from '../generations';
import { consumerNameOf } from '../projection';
import { topicsOf, type ProjectionContext } from '../projection-context';
import { generationProgress } from '../projection-progress';
import { PROJECTIONS } from '../projection-registry';
import { PROJECTION_CONTEXT } from '../projection-runner';
import { ProjectionView } from './projection.view';
import { Policy } from '@sangam/platform';

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
        return {
          name: projection.name,
          status: running.has(projection.lockKey) || refilling ? 'rebuilding' : 'live',
          generation: live,
          lag: current.lag,
          checkpoints: current.partitions,
          rebuild: rebuild && { generation: rebuilding!, running: running.has(projection.lockKey), lag: rebuild.lag, checkpoints: rebuild.partitions },
        };
      }),
    );
  }
}
