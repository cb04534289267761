/** `npm run asyncapi`: writes docs/asyncapi.json from the event contracts in libs/contracts. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_EVENT_CONTRACTS, buildAsyncApiDocument } from '@sangam/contracts';
import { version } from '../package.json';

export const ASYNCAPI_PATH = join(__dirname, '../docs/asyncapi.json');

export const renderAsyncApi = (): string => `${JSON.stringify(buildAsyncApiDocument(ALL_EVENT_CONTRACTS, version), null, 2)}\n`;

if (require.main === module) {
  writeFileSync(ASYNCAPI_PATH, renderAsyncApi());
  console.log(`wrote ${ASYNCAPI_PATH} (${ALL_EVENT_CONTRACTS.length} events)`);
}
