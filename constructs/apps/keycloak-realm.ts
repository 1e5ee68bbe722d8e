/**
 * The Keycloak realm definition, as data: the single source both Keycloak
 * (realm import) and the SSO consistency test read.
 */
import { OidcClientRequest } from './identity-provider';

/** A client as the realm stores it. */
export interface KeycloakClient {
  readonly request: OidcClientRequest;
  /** Reference to the generated client secret (resolved by Terraform at apply). */
  readonly secretReference: string;
}

/** The realm representation Keycloak imports (`--import-realm`). */
export function keycloakRealm(realm: string, clients: readonly KeycloakClient[]): object {
  const sorted = [...clients].sort((a, b) => a.request.clientId.localeCompare(b.request.clientId));
  return {
    realm,
    enabled: true,
    displayName: 'Workplace',
    sslRequired: 'all',
    registrationAllowed: false,
    resetPasswordAllowed: true,
    loginWithEmailAllowed: true,
    duplicateEmailsAllowed: false,
    passwordPolicy: 'length(12) and notUsername and notEmail',
    // Brute-force protection: temporary lockout after 5 failures, growing waits.
    bruteForceProtected: true,
    permanentLockout: false,
    failureFactor: 5,
    waitIncrementSeconds: 60,
    maxFailureWaitSeconds: 900,
    minimumQuickLoginWaitSeconds: 60,
    quickLoginCheckMilliSeconds: 1000,
    maxDeltaTimeSeconds: 43200,
    // Login and admin events go to the log (stdout), so they are shipped with the logs.
    eventsEnabled: true,
    eventsListeners: ['jboss-logging'],
    adminEventsEnabled: true,
    adminEventsDetailsEnabled: false,
    clientScopes: sorted.map(({ request }) => ({
      name: scopeName(request.clientId),
      protocol: 'openid-connect',
      attributes: { 'include.in.token.scope': 'true' },
      protocolMappers: [
        mapper('username', 'oidc-usermodel-property-mapper', { 'user.attribute': 'username', 'claim.name': 'preferred_username' }),
        mapper('email', 'oidc-usermodel-property-mapper', { 'user.attribute': 'email', 'claim.name': 'email' }),
        mapper('name', 'oidc-full-name-mapper', {}),
        mapper('user id', 'oidc-usermodel-property-mapper', { 'user.attribute': 'id', 'claim.name': 'uid' }),
      ],
    })),
    clients: sorted.map(({ request, secretReference }) => ({
      clientId: request.clientId,
      name: request.name,
      enabled: true,
      protocol: 'openid-connect',
      publicClient: false,
      clientAuthenticatorType: 'client-secret',
      secret: secretReference,
      rootUrl: request.rootUrl,
      baseUrl: request.rootUrl,
      redirectUris: [...request.redirectUris],
      webOrigins: [request.rootUrl],
      standardFlowEnabled: true,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: false,
      serviceAccountsEnabled: false,
      frontchannelLogout: false,
      fullScopeAllowed: false,
      defaultClientScopes: ['profile', 'email', scopeName(request.clientId)],
      optionalClientScopes: [],
      attributes: {
        ...(request.pkce === false ? {} : { 'pkce.code.challenge.method': 'S256' }),
        'post.logout.redirect.uris': request.postLogoutRedirectUris.join('##'),
        ...(request.backchannelLogoutUrl
          ? { 'backchannel.logout.url': request.backchannelLogoutUrl, 'backchannel.logout.session.required': 'true', 'backchannel.logout.revoke.offline.tokens': 'true' }
          : {}),
      },
    })),
  };
}

/** Each application gets its own client scope. */
export function scopeName(clientId: string): string {
  return `desk-${clientId}`;
}

function mapper(name: string, type: string, config: Record<string, string>): object {
  return {
    name,
    protocol: 'openid-connect',
    protocolMapper: type,
    config: { 'id.token.claim': 'true', 'access.token.claim': 'true', 'userinfo.token.claim': 'true', 'jsonType.label': 'String', ...config },
  };
}
