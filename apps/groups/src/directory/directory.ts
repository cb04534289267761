import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import type { GroupsEvent } from '@sangam/contracts';
import type { InlineProjection, StoredEvent } from '@sangam/event-store';

/** Every network and SHG by name, and each SHG's current network: what lists are read from. */
export class GroupDirectory1764800000200 implements MigrationInterface {
  name = 'GroupDirectory1764800000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE group_directory (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('network', 'shg')),
        name text NOT NULL,
        network_id uuid
      )`);
    await q.query(`CREATE INDEX group_directory_kind ON group_directory (kind, name)`);
    // Groups that existed before the directory: their latest network comes from the SHG side's events.
    await q.query(`
      INSERT INTO group_directory (id, kind, name)
      SELECT stream_id::uuid, CASE type WHEN 'ShgFormed' THEN 'shg' ELSE 'network' END, data->>'name'
      FROM events WHERE type IN ('ShgFormed', 'NetworkFormed')`);
    await q.query(`
      UPDATE group_directory d SET network_id = latest.network_id FROM (
        SELECT DISTINCT ON (stream_id) stream_id::uuid AS shg_id,
               CASE type WHEN 'NetworkMembershipRecorded' THEN (data->>'networkId')::uuid END AS network_id
        FROM events WHERE type IN ('NetworkMembershipRecorded', 'NetworkExitRecorded')
        ORDER BY stream_id, stream_version DESC
      ) latest WHERE d.id = latest.shg_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE group_directory`);
  }
}

const DIRECTORY_EVENTS = new Set(['ShgFormed', 'NetworkFormed', 'NetworkMembershipRecorded', 'NetworkExitRecorded']);

/** Kept in the appending transaction, so a list shows a group as soon as it is formed. */
export const directoryProjection: InlineProjection = {
  appliesTo: (event) => DIRECTORY_EVENTS.has(event.type),
  apply: (manager, events) => recordInDirectory(manager, events),
};

async function recordInDirectory(manager: EntityManager, events: readonly StoredEvent[]): Promise<void> {
  for (const stored of events) {
    const event = { type: stored.type, data: stored.data } as GroupsEvent;
    switch (event.type) {
      case 'ShgFormed':
        await manager.query(`INSERT INTO group_directory (id, kind, name) VALUES ($1, 'shg', $2)`, [event.data.shgId, event.data.name]);
        break;
      case 'NetworkFormed':
        await manager.query(`INSERT INTO group_directory (id, kind, name) VALUES ($1, 'network', $2)`, [
          event.data.networkId,
          event.data.name,
        ]);
        break;
      case 'NetworkMembershipRecorded':
        await manager.query(`UPDATE group_directory SET network_id = $2 WHERE id = $1`, [event.data.shgId, event.data.networkId]);
        break;
      case 'NetworkExitRecorded':
        await manager.query(`UPDATE group_directory SET network_id = NULL WHERE id = $1`, [event.data.shgId]);
        break;
    }
  }
}
