import { openScratchDatabase } from '@sangam/testing';
import { AppendEventsAsJson1765200000000 } from '../../libs/event-store/src/event-store.migration';
(async () => { const db = await openScratchDatabase('down', 2);
 const qr = db.dataSource.createQueryRunner();
 await new AppendEventsAsJson1765200000000().down(qr);
 console.log((await qr.query(`select pg_get_function_identity_arguments(oid) a from pg_proc where proname like 'append_events%'`)));
 await new AppendEventsAsJson1765200000000().up(qr);
 console.log((await qr.query(`select pg_get_function_identity_arguments(oid) a from pg_proc where proname like 'append_events%'`)));
 await qr.release(); await db.close(); })();
