/**
 * `npm run reconcile`: as an auditor, through the services' APIs, checks that every view of each
 * SHG, network, loan and credit line agrees with the service that owns it; prints each
 * disagreement and exits 1 if there is any.
 *
 * The token: RECONCILE_TOKEN (an auditor's access token from your identity provider), or on a
 * development machine the local realm's RECONCILE_USER (default auditor1).
 */
import { passwordGrant } from '../libs/testing/src/dev-tokens';
import { localUrls } from './demo/sangam-client';
import { reconcile } from './reconcile/reconcile';

async function main(): Promise<number> {
  const given = process.env.RECONCILE_TOKEN;
  let cached: { accessToken: string; expiresAt: number } | null = null;
  const token = async () => {
    if (given) return given;
    if (!cached || cached.expiresAt - Date.now() < 60_000) cached = await passwordGrant(process.env.RECONCILE_USER ?? 'auditor1');
    return cached.accessToken;
  };
  const report = await reconcile(localUrls(), {
    token,
    catchUpMs: Number(process.env.RECONCILE_CATCH_UP_MS ?? 60_000),
    concurrency: Number(process.env.RECONCILE_CONCURRENCY ?? 8),
  });
  const { shgs, networks, loans, creditLines } = report.checked;
  console.log(`checked ${shgs} SHGs, ${networks} networks, ${loans} loans and ${creditLines} credit lines in ${report.seconds} s`);
  if (report.reportingLag > 0) console.log(`reporting had not caught up: ${report.reportingLag} events behind when compared`);
  if (report.disagreements.length === 0) {
    console.log('every view agrees with its owner');
    return 0;
  }
  console.log(`${report.disagreements.length} disagreement(s):`);
  console.table(report.disagreements);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
