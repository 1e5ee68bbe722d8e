/**
 * What applications need from single sign-on: an OIDC issuer and one client
 * each, with the client secret delivered into the application's namespace.
 */
import { Construct } from 'constructs';
import { AppNamespace } from '../platform';

/** An application's request for an OIDC client. */
export interface OidcClientRequest {
  /** Client id, e.g. `nextcloud`. */
  readonly clientId: string;
  /** Display name on the consent and account pages. */
  readonly name: string;
  /** Base URL of the application. */
  readonly rootUrl: string;
  /** Allowed redirect URIs after login. */
  readonly redirectUris: readonly string[];
  /** Allowed redirect URIs after logout. */
  readonly postLogoutRedirectUris: readonly string[];
  /** Back-channel logout endpoint of the application. @default - no back-channel logout */
  readonly backchannelLogoutUrl?: string;
  /**
   * The client must send a PKCE (S256) challenge. Turn it off only for an
   * application that cannot send one; its client secret is then its only proof.
   * @default true
   */
  readonly pkce?: boolean;
  /** Namespace the application reads its client secret in. */
  readonly namespace: AppNamespace;
}

/** A registered client, as the application configures it. */
export interface OidcClient {
  readonly clientId: string;
  /** Issuer URL, e.g. `https://id.desk.agency.example/realms/desk`. */
  readonly issuerUrl: string;
  /** `<issuer>/.well-known/openid-configuration`. */
  readonly discoveryUrl: string;
  /** `<issuer>/protocol/openid-connect/logout`. */
  readonly logoutUrl: string;
  /** Secret in the application's namespace holding the client secret. */
  readonly secretName: string;
  /** Key of the client secret in that Secret. */
  readonly secretKey: string;
  /** A reference to the client secret, for Secrets that must embed it (never a literal). */
  readonly secretReference: string;
}

/** An OpenID Connect provider. */
export interface IIdentityProvider {
  /** Host name of the provider, e.g. `id.desk.agency.example`. */
  readonly host: string;
  readonly issuerUrl: string;
  /** Registers a client; its secret lands in a Secret in the request's namespace. */
  registerClient(scope: Construct, id: string, request: OidcClientRequest): OidcClient;
}
