/**
 * The load generator of the webhook benchmark, run in a process of its own so that it does not
 * share the service's event loop: autocannon sends signed bank notifications, each with a
 * webhook-id of its own, and prints its result, with the webhook-ids answered 2xx, as one line of JSON.
 *   argv: JSON { url, bankId, secret, creditLineId, connections, seconds }
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { printLoadAnswer } from './load-answer';
import { Webhook } from 'standardwebhooks';

interface LoadOptions {
  url: string;
  bankId: string;
  secret: string;
  creditLineId: string;
  connections: number;
  seconds: number;
}

const options: LoadOptions = JSON.parse(process.argv[2]);
const signer = new Webhook(options.secret);
const run = randomUUID().slice(0, 8);
let sent = 0;

/** What autocannon keeps per connection between a request and its response. */
type Sent = { webhookId: string };

/** The webhook-ids answered 2xx: the benchmark looks each up in the inbox. */
const accepted: string[] = [];

/** An interest charge with a bank reference of its own: every delivery is a new fact for the line. */
function signedRequest(request: autocannon.Request, context: object): autocannon.Request {
  const webhookId = `msg_${run}_${++sent}`;
  (context as Sent).webhookId = webhookId; // one request at a time per connection: the response that follows is this one's
  const now = new Date();
  const body = JSON.stringify({
    type: 'credit_line.interest.charged',
    data: { creditLineId: options.creditLineId, amount: 1, valueDate: '2005-11-14', bankReference: `BENCH-${run}-${sent}` },
  });
  const headers = {
    'content-type': 'application/json',
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signer.sign(webhookId, now, body),
  };
  return { ...request, body, headers };
}

autocannon(
  {
    url: `${options.url}/webhooks/banks/${options.bankId}`,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: signedRequest,
        onResponse: (status, _body, context) => {
          if (status >= 200 && status < 300) accepted.push((context as Sent).webhookId);
        },
      },
    ],
  },
  printLoadAnswer(options.seconds, accepted),
);
