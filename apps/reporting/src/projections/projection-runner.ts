import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type Provider } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { CheckpointedConsumer } from '@sangam/messaging';
import { KAFKA, KAFKA_PRODUCER, Metrics, SERVICE_CONFIG, type ServiceConfig } from '@sangam/platform';
import { ensureGenerations, forgetConsumer, markRefilled, readGenerations, replaceReshapedGenerations } from './generations';
import { consumerNameOf, type Projection, type TopicNames } from './projection';
import { generationConsumer, topicsOf, type ProjectionContext } from './projection-context';
import { generationProgress } from './projection-progress';
import { PROJECTIONS } from './projection-registry';

interface GenerationConsumer {
  generation: number;
  consumer: CheckpointedConsumer;
}

export const PROJECTION_CONTEXT = Symbol('PROJECTION_CONTEXT');
export const PROJECTION_TOPICS = Symbol('PROJECTION_TOPICS');

/** How often the service looks for a generation that a replay has swapped in. */
const FOLLOW_INTERVAL_MS = 1000;

const logger = new Logger('projections');

export const projectionContextProvider: Provider = {
  provide: PROJECTION_CONTEXT,
  inject: [DataSource, KAFKA, KAFKA_PRODUCER, SERVICE_CONFIG, PROJECTION_TOPICS, Metrics],
  useFactory: async (
    dataSource: DataSource,
    kafka: Kafka,
    producer: Producer,
    config: ServiceConfig,
    topics: TopicNames,
    metrics: Metrics,
  ): Promise<ProjectionContext> => {
    const admin = kafka.admin();
    await admin.connect();
    return {
      dataSource,
      kafka,
      admin,
      producer,
      groupPrefix: config.databaseName,
      topics,
      log: (level, message, context) => logger[level === 'info' ? 'log' : level]({ ...context, msg: message }),
      observeLag: (projection) => metrics.observeLag(projection),
    };
  },
};

/** Keeps one consumer per projection feeding its live generation, and moves it to the next generation once a replay swaps one in. */
@Injectable()
export class ProjectionRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly running = new Map<string, GenerationConsumer>();
  private readonly retiring = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private following: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(@Inject(PROJECTION_CONTEXT) private readonly context: ProjectionContext) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureGenerations(this.context.dataSource, PROJECTIONS);
    for (const { projection, replaced, generation } of await replaceReshapedGenerations(this.context.dataSource, PROJECTIONS)) {
      logger.warn({
        projection,
        replaced,
        generation,
        msg: 'the read model changed shape in this version: rebuilding it from the topics into a new live generation',
      });
    }
    await this.follow();
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.following;
    await Promise.all([...this.running.values()].map(({ consumer }) => consumer.stop()));
    await Promise.all(this.retiring);
    this.running.clear();
    await this.context.admin.disconnect();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.following = this.follow()
        .catch((error) => logger.error(`could not follow projection generations: ${String(error)}`))
        .finally(() => {
          if (!this.stopped) this.schedule();
        });
    }, FOLLOW_INTERVAL_MS);
  }

  private async follow(): Promise<void> {
    const generations = await readGenerations(this.context.dataSource.manager);
    for (const projection of PROJECTIONS) {
      const generation = generations.find((g) => g.projection === projection.name);
      if (generation?.refilling && generation.live === this.running.get(projection.name)?.generation)
        await this.endRefillOnceCaughtUp(projection, generation.live);
      const live = generation?.live;
      const current = this.running.get(projection.name);
      if (live === undefined || current?.generation === live || this.stopped) continue;
      const consumer = generationConsumer(this.context, projection, live);
      await consumer.start();
      this.running.set(projection.name, { generation: live, consumer });
      if (current) this.retire(projection.name, current);
      logger.log(`${projection.name}: following generation ${live}`);
    }
  }

  private async endRefillOnceCaughtUp(projection: Projection, generation: number): Promise<void> {
    const { dataSource, admin } = this.context;
    const { lag } = await generationProgress(
      dataSource.manager,
      admin,
      consumerNameOf(projection.name, generation),
      topicsOf(this.context, projection),
    );
    if (lag > 0) return;
    await markRefilled(dataSource, projection.name, generation);
    logger.log(`${projection.name}: generation ${generation} has caught up; answering reads again`);
  }

  /** Its generation is neither live nor being built any more, so it applies nothing; stopping it can wait on its last fetch. */
  private retire(projection: string, { generation, consumer }: GenerationConsumer): void {
    const retired = consumer
      .stop()
      .then(() => forgetConsumer(this.context.dataSource, projection, generation))
      .catch((error) => logger.error(`could not retire ${projection} generation ${generation}: ${String(error)}`))
      .finally(() => this.retiring.delete(retired));
    this.retiring.add(retired);
  }
}
