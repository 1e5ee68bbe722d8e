/**
 * Wiki: XWiki (chart `xwiki`) on its own CloudNativePG cluster, with OIDC
 * login through the identity provider and its permanent directory on a volume.
 */
import { Construct } from 'constructs';
import { settingName } from '../jurisdiction';
import {
  AllowIngress, AppNamespace, certificateAnnotations, ChartRelease, IBackupTarget, ICertificateIssuer, IIngress, PostgresCluster, IPostgresOperator, RegistryMirror, declareChartCapacity } from '../platform';
import { DeclaredPlacement, SovereignStack } from '../proof';
import { IIdentityProvider, OidcClient } from './identity-provider';

/** Props of {@link Wiki}. */
export interface WikiProps {
  /**
   * Namespace of XWiki and its database. Pod Security `baseline` at most: the
   * `xwiki` image runs Tomcat as root (without capabilities) and rewrites its
   * own configuration files at start.
   */
  readonly namespace: AppNamespace;
  /** Public host, e.g. `wiki.desk.agency.example`. */
  readonly host: string;
  /** The CloudNativePG operator the wiki's database cluster is managed by. */
  readonly operator: IPostgresOperator;
  readonly identity: IIdentityProvider;
  readonly ingress: IIngress;
  readonly issuer: ICertificateIssuer;
  /**
   * WAL archiving and base backups of the database. The permanent directory is
   * a volume: back it up by including the namespace in `VolumeBackups`.
   * @default - no database backup (SD-BACKUP reports it)
   */
  readonly backup?: IBackupTarget;
  /**
   * `https://` URL of a Maven repository inside the bounds that mirrors XWiki's
   * (`https://nexus.xwiki.org/nexus/content/groups/public`): the flavor the
   * Distribution Wizard installs on first start and the OpenID Connect
   * authenticator extension come from it, and XWiki uses no other repository.
   * @default - XWiki's defaults, extensions.xwiki.org and nexus.xwiki.org (calls home that SD-PHONE-HOME reports)
   */
  readonly extensionRepository?: string;
  /** Size of the permanent directory volume (extensions, attachments cache, Solr index, logs), in GiB. @default 20 */
  readonly storageGiB?: number;
  /** Database volume size per instance, in GiB. @default 10 */
  readonly databaseGiB?: number;
  /** @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
}

/** Port of Tomcat in the XWiki container. */
export const XWIKI_PORT = 8080;

/** The OpenID Connect authenticator extension, installed from the extension repository into the farm (root namespace). */
export const OIDC_AUTHENTICATOR_EXTENSION = 'org.xwiki.contrib.oidc:oidc-authenticator';

/** XWiki's default extension repositories, used when no mirror is given. */
export const XWIKI_EXTENSION_REPOSITORIES = {
  extensions: 'https://extensions.xwiki.org/xwiki/rest/',
  maven: 'https://nexus.xwiki.org/nexus/content/groups/public',
} as const;

/**
 * XWiki as the suite's wiki.
 *
 * @example
 * new Wiki(this, 'Wiki', { namespace, host: 'wiki.desk.agency.example', operator, identity, ingress, issuer, backup, extensionRepository: 'https://maven.agency.example/xwiki/' });
 */
export class Wiki extends Construct {
  public readonly host: string;
  public readonly url: string;
  public readonly oidc: OidcClient;
  public readonly database: PostgresCluster;
  /** Labels of the XWiki pods. */
  public readonly podLabels = { 'app.kubernetes.io/name': 'xwiki', 'app.kubernetes.io/instance': 'xwiki' };

  constructor(scope: Construct, id: string, props: WikiProps) {
    super(scope, id);
    const storageGiB = props.storageGiB ?? 20;
    if (!Number.isInteger(storageGiB) || storageGiB < 1) {
      throw new Error(`Wiki ${this.node.path}: 'storageGiB' (${storageGiB}) must be a whole number of GiB, at least 1. Fix: use 20 for a wiki of a few thousand pages.`);
    }
    const repository = props.extensionRepository;
    if (repository !== undefined && !/^https:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(repository)) {
      throw new Error(`Wiki ${this.node.path}: 'extensionRepository' ("${repository}") must be an https:// URL without query or fragment. Fix: pass the Maven mirror's URL, e.g. "https://maven.agency.example/xwiki/".`);
    }
    this.host = props.host;
    this.url = `https://${props.host}`;
    const ns = props.namespace.reference;
    const names = SovereignStack.of(this).settingNames;

    this.database = new PostgresCluster(this, 'Database', {
      namespace: props.namespace, operator: props.operator, name: 'xwiki-db', database: 'xwiki', storageGiB: props.databaseGiB,
      description: 'XWiki database (pages, history, users, rights)', backup: props.backup, mirror: props.mirror, app: 'wiki',
    });
    this.oidc = props.identity.registerClient(this, 'OidcClient', {
      clientId: 'xwiki',
      name: 'Wiki',
      rootUrl: this.url,
      redirectUris: [`${this.url}/oidc/authenticator/callback`],
      postLogoutRedirectUris: [`${this.url}/*`],
      backchannelLogoutUrl: `${this.url}/oidc/authenticator/backchannel_logout`,
      namespace: props.namespace,
    });

    const capacityRelease = new ChartRelease(this, 'XWiki', {
      chart: 'xwiki',
      releaseName: 'xwiki',
      namespace: ns,
      mirror: props.mirror,
      values: {
        externalDB: { host: this.database.host, database: this.database.database, user: this.database.database, customKeyRef: { name: this.database.credentialsSecret } },
        customConfigs: {
          'xwiki.cfg': { 'xwiki.home': `${this.url}/` },
          'xwiki.properties': {
            'oidc.provider': this.oidc.issuerUrl,
            'oidc.clientid': this.oidc.clientId,
            // Only the mirror: no fallback to XWiki's repositories.
            ...(repository ? { 'extension.repositories': [`mirror:maven:${repository}`] } : {}),
          },
        },
        // The client secret reaches xwiki.properties at start, from the Secret, never through the values.
        customConfigsSecrets: { 'xwiki.properties': { 'oidc.secret': { secret: { name: this.oidc.secretName, key: this.oidc.secretKey } } } },
        ingress: {
          enabled: true,
          className: props.ingress.className,
          annotations: certificateAnnotations(props.issuer),
          hosts: [{ host: props.host, paths: [{ path: '/', pathType: 'Prefix' }] }],
          tls: [{ secretName: 'xwiki-tls', hosts: [props.host] }],
        },
        persistence: { enabled: true, size: `${storageGiB}Gi` },
      },
    });
    declareChartCapacity(capacityRelease, [{
      app: 'wiki', component: 'XWiki', resourcesPath: '', volumeGiB: storageGiB,
      singleReplicaReason: 'the permanent directory is one ReadWriteOnce volume and the embedded Solr index lives there',
    }]);

    new DeclaredPlacement(this, 'PermanentDirectory', {
      kind: 'volume', target: `xwiki.${props.namespace.name}.svc`, namespace: props.namespace.name,
      description: `XWiki permanent directory (${storageGiB} GiB: installed extensions, attachments cache, Solr index, logs)`,
    });
    const extensions = `${OIDC_AUTHENTICATOR_EXTENSION} and the XWiki Standard flavor`;
    if (repository) {
      new DeclaredPlacement(this, 'ExtensionRepository', {
        kind: 'endpoint', target: repository, namespace: props.namespace.name, description: `XWiki extension repository mirror (${extensions})`,
        field: settingName(names, 'spec.wiki.extensionRepository', 'new Wiki(…, { extensionRepository })'),
      });
    } else {
      const phoneHome = `XWiki's default extension repositories (set ${settingName(names, 'spec.wiki.extensionRepository', 'new Wiki(…, { extensionRepository })')})`;
      new DeclaredPlacement(this, 'ExtensionRepository', {
        kind: 'endpoint', target: XWIKI_EXTENSION_REPOSITORIES.extensions, namespace: props.namespace.name,
        description: `XWiki extension repository extensions.xwiki.org (${extensions}; extension index and update checks)`, phoneHome,
      });
      new DeclaredPlacement(this, 'MavenRepository', {
        kind: 'endpoint', target: XWIKI_EXTENSION_REPOSITORIES.maven, namespace: props.namespace.name,
        description: `XWiki Maven repository nexus.xwiki.org (${extensions})`, phoneHome,
      });
    }
    new AllowIngress(this, 'AllowFromIngress', {
      namespace: ns, name: 'allow-ingress-to-xwiki', podLabels: this.podLabels, from: [{ namespace: props.ingress.namespace }], ports: [XWIKI_PORT],
    });
    new AllowIngress(this, 'AllowToDatabase', {
      namespace: ns, name: 'allow-xwiki-to-database', podLabels: this.database.podLabels, from: [{ podLabels: this.podLabels }], ports: [this.database.port],
    });
  }
}
