import { envelopeOf, openScratchDatabase } from '@sangam/testing';
import { applyGroupsEvents } from '../src/lenders/projections/groups-view.projection';
import { lendingRelation } from '../src/lenders/projections/membership';
import { LENDING_MIGRATIONS } from '../src/lending.migration';

describe("lending's view of network membership", () => {
  it("follows the network stream's order, so a join re-driven after a later exit changes nothing", async () => {
    const db = await openScratchDatabase('lending_membership', 4, LENDING_MIGRATIONS);
    try {
      const networkId = 'network-1';
      const shgId = 'shg-1';
      const membership = (type: string, streamVersion: number) =>
        envelopeOf({
          type,
          streamId: networkId,
          streamVersion,
          data: { networkId, shgId, joinedOn: '2005-04-15', exitedOn: '2005-09-30' },
        });
      const isMember = async () =>
        (await lendingRelation(db.dataSource.manager, { type: 'network', id: networkId }, { type: 'shg', id: shgId }))
          .borrowerBelongsToLender;

      await applyGroupsEvents(db.dataSource.manager, [membership('ShgJoinedNetwork', 2), membership('ShgExitedNetwork', 5)]);
      expect(await isMember()).toBe(false);
      await applyGroupsEvents(db.dataSource.manager, [membership('ShgJoinedNetwork', 2)]);
      expect(await isMember()).toBe(false);
      await applyGroupsEvents(db.dataSource.manager, [membership('ShgJoinedNetwork', 9)]);
      expect(await isMember()).toBe(true);
    } finally {
      await db.close();
    }
  });
});
