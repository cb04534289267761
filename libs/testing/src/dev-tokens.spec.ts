import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { DEV_USERS, passwordGrant, tokenFor, userIdOf } from './dev-tokens';

const realm = JSON.parse(readFileSync(join(__dirname, '../../../infra/keycloak/sangam-realm.json'), 'utf8'));

describe('development users of the local Keycloak', () => {
  it('are the users of the realm file, with the same ids and roles', () => {
    const inRealm = realm.users.map((user: any) => ({ username: user.username, id: user.id, role: user.realmRoles[0] }));
    expect(inRealm).toEqual(DEV_USERS.map((user) => ({ ...user })));
  });

  it.each(DEV_USERS.map((user) => [user.username, user] as const))(
    '%s gets a token for audience sangam with its role and fixed id',
    async (_, user) => {
      const claims = decodeJwt<any>(await tokenFor(user.username));
      expect(claims.sub).toBe(user.id);
      expect(claims.preferred_username).toBe(user.username);
      expect(claims.realm_access.roles).toEqual([user.role]);
      expect([claims.aud].flat()).toContain('sangam');
    },
  );

  it('caches a token until it nears its expiry', async () => {
    const first = await tokenFor('field1');
    expect(await tokenFor('field1')).toBe(first);
    expect(userIdOf(first)).toBe('de700000-0000-4000-8000-000000000011');
  });

  it('says so when Keycloak refuses the credentials', async () => {
    await expect(passwordGrant('field1', 'not-the-password')).rejects.toThrow(/refused a token for 'field1' \(invalid_grant/);
  });
});
