import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { DomainError } from '@sangam/domain';
import { rolesAt, type Caller } from './caller';

export interface OidcConfig {
  issuer: string;
  audience: string;
  /** Dotted path of the roles claim (`realm_access.roles` for Keycloak). */
  rolesClaim: string;
  /** Set to skip discovery; otherwise read from the issuer's openid-configuration. */
  jwksUrl?: string;
}

/** Only asymmetric signatures: `none` and HMAC (whose key a client could know) are refused. */
const ALGORITHMS = ['RS256', 'ES256'];
const CLOCK_TOLERANCE_SECONDS = 30;
/**
 * Tokens verified before, kept until they expire: an app sends the same token with every request
 * for minutes, and checking an RS256 signature is the dearest step of a request. The oldest go
 * first past this many.
 */
const MAX_VERIFIED_TOKENS = 5_000;
/** A busy provider may take seconds to answer discovery or hand out its keys (once; they are cached). */
const PROVIDER_TIMEOUT_MS = 10_000;

export const unauthorized = (message: string) => new DomainError('unauthorized', message, 'unauthorized');

/**
 * Verifies bearer tokens against the issuer's JWKS. jose caches the keys and fetches them again
 * when a token names an unknown `kid` (the provider rotated its keys).
 */
export class TokenVerifier {
  private keys: Promise<ReturnType<typeof createRemoteJWKSet>> | null = null;
  /** Payloads of tokens whose signature and claims were verified, with when each stops being accepted. */
  private readonly verified = new Map<string, { payload: JWTPayload; acceptedUntilMs: number }>();

  constructor(private readonly config: OidcConfig) {}

  async verify(authorization: string | undefined): Promise<Caller> {
    const match = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/.exec(authorization ?? '');
    if (!match) throw unauthorized('A bearer access token is required');
    const payload = await this.payloadOf(match[1]);
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw unauthorized('The access token names no subject');
    const username = typeof payload.preferred_username === 'string' ? payload.preferred_username : payload.sub;
    return { userId: payload.sub, username, roles: rolesAt(payload, this.config.rolesClaim) };
  }

  /**
   * A token's payload once its signature, issuer, audience and times are checked. A token checked
   * before is accepted again until its `exp` (with the same leeway): the same bytes verify the same
   * way. The price: a key the provider withdraws stops new tokens once the key set is read again
   * (cached 10 minutes), and tokens already checked with it only when they expire (minutes for
   * Keycloak's access tokens).
   */
  private async payloadOf(token: string): Promise<JWTPayload> {
    const known = this.verified.get(token);
    if (known && Date.now() <= known.acceptedUntilMs) return known.payload;
    this.verified.delete(token);
    const payload = await this.checked(token);
    if (this.verified.size >= MAX_VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { payload, acceptedUntilMs: (payload.exp! + CLOCK_TOLERANCE_SECONDS) * 1000 });
    return payload;
  }

  private async checked(token: string): Promise<JWTPayload> {
    const keys = await this.jwks();
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp'],
      });
      return payload;
    } catch (error) {
      if (error instanceof errors.JWKSTimeout || (error instanceof TypeError && /fetch/i.test(error.message))) throw providerUnreachable();
      if (error instanceof errors.JOSEError)
        throw unauthorized(error instanceof errors.JWTExpired ? 'The access token has expired' : 'The access token is not valid here');
      throw error;
    }
  }

  /** Discovered once; a failed discovery is tried again on the next request. */
  private jwks(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    this.keys ??= this.discoverJwksUrl().then((url) =>
      createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000, cacheMaxAge: 600_000, timeoutDuration: PROVIDER_TIMEOUT_MS }),
    );
    return this.keys.catch((error) => {
      this.keys = null;
      throw error;
    });
  }

  private async discoverJwksUrl(): Promise<string> {
    if (this.config.jwksUrl) return this.config.jwksUrl;
    try {
      const response = await fetch(`${this.config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
      });
      const discovery = (await response.json()) as { jwks_uri?: unknown };
      if (!response.ok || typeof discovery.jwks_uri !== 'string') throw new Error(`discovery answered ${response.status}`);
      return discovery.jwks_uri;
    } catch {
      throw providerUnreachable();
    }
  }
}

const providerUnreachable = () =>
  new DomainError('service_unavailable', 'The identity provider cannot be reached to check the access token; retry shortly', 'unavailable');
