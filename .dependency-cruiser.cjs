/**
 * Boundaries that the layout promises (npm run lint). lint/fixtures/boundaries holds one deliberately
 * bad file per rule, laid out like the tree; lint/lint.e2e-spec.ts proves each rule fails on it.
 */
const FRAMEWORKS = 'node_modules/(@nestjs|typeorm|kafkajs|pg|express|pino|pino-http|class-validator|class-transformer)/';
const MACHINERY_LIBS = '^libs/(event-store|messaging|platform|testing)/';
/** Tests may use the test harnesses whatever they test. */
const SPECS = '\\.(spec|e2e-spec)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'domain-imports-no-framework',
      comment: 'Deciders and domain rules are pure TypeScript: frameworks and the machinery libs stay at the edges.',
      severity: 'error',
      from: { path: ['^apps/[^/]+/src/domain/', '^apps/[^/]+/src/.*/domain/', '^libs/domain/'], pathNot: SPECS },
      to: { path: [FRAMEWORKS, MACHINERY_LIBS] },
    },
    {
      name: 'no-app-imports-another-app',
      comment: 'Services talk through Kafka topics only; shared code belongs in libs.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-never-import-apps',
      comment: 'A lib serves every app and so knows none (its own tests may start one).',
      severity: 'error',
      from: { path: '^libs/[^/]+/src/', pathNot: SPECS },
      to: { path: '^apps/' },
    },
    {
      name: 'contracts-import-no-machinery',
      comment: 'The published language is plain types, schemas and upcasters: no framework, no broker, no database.',
      severity: 'error',
      from: { path: '^libs/contracts/', pathNot: SPECS },
      to: { path: [FRAMEWORKS, MACHINERY_LIBS, '^apps/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^lint/fixtures/', '^dist/', '^\\.cache/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
