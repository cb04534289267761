import { openScratchDatabase } from '@sangam/testing';
(async () => { const db = await openScratchDatabase('pgb', 2); console.log(db.name); await db.dataSource.destroy(); })();
