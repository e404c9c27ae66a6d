import type { UserManager } from 'oidc-client-ts';
import type { RuntimeConfig } from '../app/runtime';

/**
 * OIDC authorization code flow with PKCE (oidc-client-ts), used when the query app is
 * configured with SES_AUTH_ISSUER and SES_PORTAL_CLIENT_ID. Loaded only then: the
 * library is not part of the initial JavaScript.
 */
let manager: Promise<UserManager> | undefined;

export function oidcManager(oidc: NonNullable<RuntimeConfig['oidc']>): Promise<UserManager> {
  manager ??= import('oidc-client-ts').then(
    ({ UserManager, WebStorageStateStore }) =>
      new UserManager({
        authority: oidc.authority,
        client_id: oidc.clientId,
        redirect_uri: `${location.origin}${import.meta.env.BASE_URL}auth/callback`,
        post_logout_redirect_uri: `${location.origin}${import.meta.env.BASE_URL}sign-in`,
        response_type: 'code',
        scope: oidc.scope,
        // Code + PKCE (S256) is oidc-client-ts' default for response_type=code.
        userStore: new WebStorageStateStore({ store: window.sessionStorage }),
        stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
        automaticSilentRenew: false,
        monitorSession: false,
      }),
  );
  return manager;
}

export async function startOidcSignIn(oidc: NonNullable<RuntimeConfig['oidc']>): Promise<void> {
  await (await oidcManager(oidc)).signinRedirect();
}

/** Completes the redirect: the access token is the bearer token both APIs verify (against the issuer's JWKS). */
export async function completeOidcSignIn(oidc: NonNullable<RuntimeConfig['oidc']>): Promise<string> {
  const user = await (await oidcManager(oidc)).signinRedirectCallback();
  return user.access_token;
}

export async function forgetOidcUser(oidc: NonNullable<RuntimeConfig['oidc']>): Promise<void> {
  await (await oidcManager(oidc)).removeUser();
}
