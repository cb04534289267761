/**
 * `npm run -s token -- <username>`: prints an access token of a development user of the local
 * Keycloak (password = username), and nothing else, for
 *   curl -H "Authorization: Bearer $(npm run -s token -- field1)" http://127.0.0.1:3001/me
 * `npm run -s token -- <username> <password>` for a user whose password differs.
 */
import { DEV_USERS, passwordGrant } from '../libs/testing/src/dev-tokens';

const [username, password] = process.argv.slice(2);
if (!username) {
  console.error(
    `usage: npm run -s token -- <username> [password]\ndevelopment users: ${DEV_USERS.map((user) => user.username).join(', ')}`,
  );
  process.exit(2);
}
passwordGrant(username, password).then(
  ({ accessToken }) => process.stdout.write(`${accessToken}\n`),
  (error: Error) => {
    const known = DEV_USERS.some((user) => user.username === username);
    console.error(known ? error.message : `${error.message}\ndevelopment users: ${DEV_USERS.map((user) => user.username).join(', ')}`);
    process.exit(1);
  },
);
