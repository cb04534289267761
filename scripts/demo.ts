/** `npm run demo`: drives the Sindhudurg and Chanderi stories through the public API of a running system. */
import { runChanderiStory } from './demo/chanderi.story';
import { formatDashboard } from './demo/dashboard-table';
import { eventually, localUrls, SangamClient } from './demo/sangam-client';
import { runSindhudurgStory, SINDHUDURG } from './demo/sindhudurg.story';
import { runCli } from './cli-support';

runCli('npm run demo (with the system started by npm start)', async () => {
  const client = new SangamClient(localUrls());
  for (const [name, url] of Object.entries(client.urls)) {
    await client.get(`${url}/health`).catch(() => {
      throw new Error(`the ${name} service does not answer at ${url}: start the system with npm start first`);
    });
  }
  const log = (line: string) => console.log(`- ${line}`);
  const story = await runSindhudurgStory(client, log);
  log(`a repeated bank delivery was answered ${story.webhooks.duplicate}, a forged one ${story.webhooks.forged}`);
  await runChanderiStory(client, log);

  log('Waiting for the reporting read model to catch up');
  const url = `${client.urls.reporting}/networks/${story.networkId}/dashboard?asOf=${SINDHUDURG.asOf}`;
  const dashboard = await eventually(async () => {
    const current = await client.get(url);
    if (current.loans.count < 3 || current.creditLines[0]?.drawn !== SINDHUDURG.secondGoatLoan) throw new Error('not caught up yet');
    return current;
  }, 'the dashboard');
  console.log(`\nSindhudurg network dashboard as of ${SINDHUDURG.asOf}\n`);
  console.log(formatDashboard(dashboard));
  console.log(`\nJSON: GET ${url}`);
});
