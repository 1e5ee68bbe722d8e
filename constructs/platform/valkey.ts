/**
 * A Valkey (Redis-compatible) cache with ACL authentication.
 */
import { Construct } from 'constructs';
import { DeclaredPlacement } from '../proof';
import { AppNamespace } from './app-namespace';
import { ChartRelease, declareChartCapacity } from './chart-release';
import { GeneratedSecret } from './generated-secret';
import { ICache } from './interfaces';
import { RegistryMirror } from './registry-mirror';

/** Props of {@link Valkey}. */
export interface ValkeyProps {
  readonly namespace: AppNamespace;
  /** Release name; the service is `<name>`. @default 'valkey' */
  readonly name?: string;
  /** What uses it, for the inventory. */
  readonly description: string;
  /** @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
  /** The app it belongs to, in the capacity report. @default 'platform' */
  readonly app?: string;
}

/**
 * Valkey with a generated password for the `default` user.
 *
 * @example
 * const cache = new Valkey(this, 'Cache', { namespace: ns, description: 'Nextcloud cache' });
 */
export class Valkey extends Construct implements ICache {
  public readonly host: string;
  public readonly port = 6379;
  public readonly passwordSecret: string;
  public readonly passwordKey = 'default';
  public readonly podLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ValkeyProps) {
    super(scope, id);
    const name = props.name ?? 'valkey';
    const secret = new GeneratedSecret(this, 'Users', {
      namespace: props.namespace.reference, name: `${name}-users`, generated: [this.passwordKey],
    });
    this.passwordSecret = secret.secretName;
    this.host = `${name}.${props.namespace.name}.svc`;
    this.podLabels = { 'app.kubernetes.io/name': 'valkey', 'app.kubernetes.io/instance': name };
    const release = new ChartRelease(this, 'Chart', {
      chart: 'valkey',
      releaseName: name,
      namespace: props.namespace.reference,
      mirror: props.mirror,
      dependsOn: [secret.secret],
      values: {
        fullnameOverride: name,
        auth: {
          enabled: true,
          usersExistingSecret: secret.secretName,
          aclUsers: { default: { permissions: '~* &* +@all', passwordKey: this.passwordKey } },
        },
      },
    });
    declareChartCapacity(release, [{ app: props.app ?? 'platform', component: 'Valkey', resourcesPath: '', singleReplicaReason: 'a cache and lock store: losing it costs a warm-up, not data' }]);
    new DeclaredPlacement(this, 'Data', {
      kind: 'database', target: this.host, description: props.description, namespace: props.namespace.name,
      noBackupReason: 'in-memory cache and file locks without persistence; rebuilt on restart',
    });
  }
}
