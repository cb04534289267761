import type { GroupsEvent } from '@sangam/contracts';
import { publishedLanguage } from '@sangam/platform';
import type { NetworkEvent } from './networks/domain/network.events';
import type { ShgEvent } from './shgs/domain/shg.events';

/** Groups' events as libs/contracts publishes them: the SHG and network events have the same shape today; a change to one is mapped here. */
export const GROUPS_PUBLISHED_LANGUAGE = publishedLanguage((event: ShgEvent | NetworkEvent): GroupsEvent => event);
