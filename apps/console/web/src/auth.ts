import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';

export interface OidcSettings {
  authority: string;
  clientId: string;
}

const CALLBACK = '/callback';

/**
 * Authorization code + PKCE with the realm's public `sangam-web` client; the tokens stay in this
 * tab's session storage and are renewed with the refresh token before they expire.
 */
export function userManager(oidc: OidcSettings): UserManager {
  return new UserManager({
    authority: oidc.authority,
    client_id: oidc.clientId,
    redirect_uri: `${location.origin}${CALLBACK}`,
    post_logout_redirect_uri: `${location.origin}/`,
    response_type: 'code',
    scope: 'openid',
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    automaticSilentRenew: true,
  });
}

/** The signed-in user, finishing a sign-in that is coming back, or undefined once the browser is sent to sign in. */
export async function signedInUser(manager: UserManager): Promise<User | undefined> {
  if (location.pathname === CALLBACK) {
    const user = await manager.signinRedirectCallback();
    history.replaceState(null, '', `/${typeof user.state === 'string' ? user.state : ''}`);
    return user;
  }
  const user = await manager.getUser();
  if (user && !user.expired) return user;
  const renewed = user?.refresh_token ? await manager.signinSilent().catch(() => null) : null;
  if (renewed) return renewed;
  await manager.signinRedirect({ state: location.hash });
  return undefined;
}
