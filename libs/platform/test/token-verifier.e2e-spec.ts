import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { TokenVerifier } from '../src/access/token-verifier';

/**
 * The verifier against an issuer of the test's own (a JWKS served on loopback), so that tokens
 * that are correctly signed yet expired, early, foreign or meant for another audience can be made.
 * The same checks against the real Keycloak are in test/access.e2e-spec.ts.
 */
describe('TokenVerifier', () => {
  let server: Server;
  let issuer: string;
  let privateKey: CryptoKey;
  let jwks: { keys: JWK[] };
  let jwksRequests = 0;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
    server = createServer((request, response) => {
      const body =
        request.url === '/.well-known/openid-configuration'
          ? { issuer, jwks_uri: `${issuer}/certs` }
          : request.url === '/certs'
            ? jwks
            : null;
      if (request.url === '/certs') jwksRequests++;
      response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const verifier = () => new TokenVerifier({ issuer, audience: 'sangam', rolesClaim: 'realm_access.roles' });
  const now = () => Math.floor(Date.now() / 1000);
  const token = (claims: Record<string, unknown> = {}, key: CryptoKey = privateKey, kid = 'k1') =>
    new SignJWT({
      sub: 'user-1',
      iss: issuer,
      aud: ['account', 'sangam'],
      iat: now(),
      exp: now() + 300,
      preferred_username: 'field1',
      realm_access: { roles: ['field-officer', 'offline_access'] },
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid })
      .sign(key);
  const refusal = async (authorization: string | undefined) => {
    try {
      await verifier().verify(authorization);
    } catch (error) {
      return (error as { code?: string }).code;
    }
    return 'accepted';
  };

  it('reads the caller from a valid token: sub, preferred_username and Sangam roles only', async () => {
    expect(await verifier().verify(`Bearer ${await token()}`)).toEqual({ userId: 'user-1', username: 'field1', roles: ['field-officer'] });
  });

  it('refuses a missing, malformed or non-bearer authorization', async () => {
    expect(await refusal(undefined)).toBe('unauthorized');
    expect(await refusal('Bearer')).toBe('unauthorized');
    expect(await refusal('Bearer not.a.jwt')).toBe('unauthorized');
    expect(await refusal(`Basic ${Buffer.from('field1:field1').toString('base64')}`)).toBe('unauthorized');
  });

  it('refuses expired tokens beyond the 30 s leeway and accepts them within it', async () => {
    expect(await refusal(`Bearer ${await token({ exp: now() - 31 })}`)).toBe('unauthorized');
    expect(await refusal(`Bearer ${await token({ exp: now() - 10 })}`)).toBe('accepted');
  });

  it('accepts a token it verified before without checking its signature again, until the token expires; then refuses it', async () => {
    const one = verifier();
    // Within the leeway for one more second or so.
    const expiring = `Bearer ${await token({ exp: now() - 29 })}`;
    const signatureChecks = jest.spyOn(crypto.subtle, 'verify');
    try {
      await expect(one.verify(expiring)).resolves.toMatchObject({ userId: 'user-1' });
      expect(signatureChecks).toHaveBeenCalledTimes(1);
      await expect(one.verify(expiring)).resolves.toMatchObject({ userId: 'user-1' });
      expect(signatureChecks).toHaveBeenCalledTimes(1);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      await expect(one.verify(expiring)).rejects.toMatchObject({ code: 'unauthorized', message: 'The access token has expired' });
    } finally {
      signatureChecks.mockRestore();
    }
  });

  it('refuses tokens not yet valid beyond the leeway', async () => {
    expect(await refusal(`Bearer ${await token({ nbf: now() + 120 })}`)).toBe('unauthorized');
    expect(await refusal(`Bearer ${await token({ nbf: now() + 10 })}`)).toBe('accepted');
  });

  it('refuses another issuer, another audience, and a token without exp', async () => {
    expect(await refusal(`Bearer ${await token({ iss: 'http://127.0.0.1:1/realms/other' })}`)).toBe('unauthorized');
    expect(await refusal(`Bearer ${await token({ aud: 'account' })}`)).toBe('unauthorized');
    const noExp = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('u')
      .setIssuer(issuer)
      .setAudience('sangam')
      .sign(privateKey);
    expect(await refusal(`Bearer ${noExp}`)).toBe('unauthorized');
  });

  it('refuses a token signed by a key the issuer does not publish, fetching the keys again for an unknown kid', async () => {
    const stranger = await generateKeyPair('RS256');
    const before = jwksRequests;
    expect(await refusal(`Bearer ${await token({}, stranger.privateKey, 'k1')}`)).toBe('unauthorized');
    expect(await refusal(`Bearer ${await token({}, stranger.privateKey, 'rotated')}`)).toBe('unauthorized');
    expect(jwksRequests).toBeGreaterThan(before);
  });

  it('refuses alg none and HS256 keyed with the public key', async () => {
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'user-1', iss: issuer, aud: 'sangam', exp: now() + 300, realm_access: { roles: ['admin'] } }),
    ).toString('base64url')}.`;
    expect(await refusal(`Bearer ${unsigned}`)).toBe('unauthorized');
    const publicKeyAsSecret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
    const hs256 = await new SignJWT({ realm_access: { roles: ['admin'] } })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setSubject('user-1')
      .setIssuer(issuer)
      .setAudience('sangam')
      .setExpirationTime(now() + 300)
      .sign(publicKeyAsSecret);
    expect(await refusal(`Bearer ${hs256}`)).toBe('unauthorized');
  });

  it('answers service_unavailable while the issuer cannot be reached', async () => {
    const unreachable = new TokenVerifier({
      issuer: 'http://127.0.0.1:9/realms/sangam',
      audience: 'sangam',
      rolesClaim: 'realm_access.roles',
    });
    await expect(unreachable.verify(`Bearer ${await token()}`)).rejects.toMatchObject({ code: 'service_unavailable' });
  });
});
