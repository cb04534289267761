import { PublicRoute } from '../access/route-policy';
import { Controller, Get, Header, Injectable } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly eventsAppended = new Counter({
    name: 'sangam_events_appended_total',
    help: 'Events appended to this service event store',
    registers: [this.registry],
  });

  readonly eventLag = new Histogram({
    name: 'sangam_event_lag_seconds',
    help: 'From an event recorded in its event store to its effect committed by a consumer of this service',
    labelNames: ['consumer'],
    buckets: [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A consumer's `onApplied`: how long each event took from its store to this service's read model. */
  observeLag(consumer: string): (envelopes: readonly { recordedAt: string }[]) => void {
    const lag = this.eventLag.labels({ consumer });
    return (envelopes) => {
      const now = Date.now();
      for (const { recordedAt } of envelopes) lag.observe((now - Date.parse(recordedAt)) / 1000);
    };
  }

  /**
   * A gauge read from the database at each scrape: rows of `{ label..., value }`. For what must not
   * stay unnoticed (dead letters not re-driven, sagas waiting too long).
   */
  gaugeFromDatabase(dataSource: DataSource, name: string, help: string, labelNames: string[], query: () => [string, unknown[]]): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        const [sql, parameters] = query();
        const rows = await dataSource.query<Record<string, string | number>[]>(sql, parameters).catch(() => []);
        for (const { value, ...labels } of rows) this.set(labels, Number(value));
      },
    });
  }
}

/** Every service: how many events each consumer dead-lettered and has not applied since. */
@Injectable()
export class DeadLetterGauge {
  constructor(metrics: Metrics, dataSource: DataSource) {
    metrics.gaugeFromDatabase(
      dataSource,
      'sangam_consumer_dead_letters',
      'Events a consumer dead-lettered and has not applied since (re-drive them)',
      ['consumer'],
      () => [`SELECT consumer, count(*) AS value FROM consumer_dead_letters GROUP BY consumer`, []],
    );
  }
}

/** Counts and times every answer, by the matched route pattern (ids are not labels: cardinality stays bounded). */
export const httpMetrics =
  (metrics: Metrics) =>
  (request: Request, response: Response, next: NextFunction): void => {
    const stop = metrics.httpDuration.startTimer();
    response.on('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics.httpRequests.inc({ method: request.method, route, status: response.statusCode });
      stop({ method: request.method, route });
    });
    next();
  };

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @PublicRoute()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
