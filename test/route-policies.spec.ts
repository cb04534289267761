import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import { loadServiceConfig, ROUTE_POLICY, type RoutePolicy } from '@sangam/platform';
import { BankLinkageModule } from '../apps/bank-linkage/src/bank-linkage.module';
import { GroupsModule } from '../apps/groups/src/groups.module';
import { LendingModule } from '../apps/lending/src/lending.module';
import { ReportingModule } from '../apps/reporting/src/reporting.module';

interface Route {
  route: string;
  policy: RoutePolicy | undefined;
}

const controllersOf = (module: DynamicModule): Type[] => [
  ...(module.controllers ?? []),
  ...(module.imports ?? []).flatMap((imported) => ('module' in (imported as object) ? controllersOf(imported as DynamicModule) : [])),
];

/** Every route of a controller (a handler may serve several paths), with the policy the guard will find for it (method first, then class). */
function routesOf(controller: Type): Route[] {
  const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
  return Object.getOwnPropertyNames(controller.prototype)
    .map((name) => controller.prototype[name])
    .filter((handler) => typeof handler === 'function' && Reflect.hasMetadata(METHOD_METADATA, handler))
    .flatMap((handler) =>
      [Reflect.getMetadata(PATH_METADATA, handler)].flat().map((path: string) => ({
        route: `${RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler)]} /${base}/${path}`
          .replace(/\/+$/, '')
          .replace(/\/\/+/g, '/'),
        policy: Reflect.getMetadata(ROUTE_POLICY, handler) ?? Reflect.getMetadata(ROUTE_POLICY, controller),
      })),
    );
}

const apps = {
  groups: GroupsModule.forRoot(loadServiceConfig('groups')),
  lending: LendingModule.forRoot(loadServiceConfig('lending')),
  'bank-linkage': BankLinkageModule.forRoot(loadServiceConfig('bank-linkage')),
  reporting: ReportingModule.forRoot(loadServiceConfig('reporting')),
};

describe('every route declares its access policy', () => {
  it.each(Object.entries(apps))('%s: no route without a policy', (_, module) => {
    const routes = controllersOf(module).flatMap(routesOf);
    expect(routes.length).toBeGreaterThan(5);
    expect(routes.filter((r) => r.policy === undefined).map((r) => r.route)).toEqual([]);
  });

  it('leaves only health (liveness, readiness), metrics and the signed bank webhook open without a token', () => {
    const open = Object.values(apps)
      .flatMap((module) => controllersOf(module).flatMap(routesOf))
      .filter((r) => r.policy && 'public' in r.policy && r.policy.public)
      .map((r) => r.route);
    expect([...new Set(open)].sort()).toEqual([
      'GET /health',
      'GET /health/live',
      'GET /health/ready',
      'GET /metrics',
      'POST /webhooks/banks/:bankId',
    ]);
  });

  it('finds a route without a policy (the walk itself can fail)', () => {
    class Unguarded {
      list() {
        return [];
      }
    }
    Reflect.defineMetadata(PATH_METADATA, 'things', Unguarded);
    Reflect.defineMetadata(PATH_METADATA, '/', Unguarded.prototype.list);
    Reflect.defineMetadata(METHOD_METADATA, RequestMethod.GET, Unguarded.prototype.list);
    expect(routesOf(Unguarded)).toEqual([{ route: 'GET /things', policy: undefined }]);
  });
});
