/**
 * Office: Collabora Online (chart `collabora-online`), reachable only by the
 * files host through WOPI.
 */
import { Construct } from 'constructs';
import { AllowIngress, certificateAnnotations, AppNamespace, ChartRelease, GeneratedSecret, ICertificateIssuer, IIngress, RegistryMirror, SINGLE_REPLICA_REASONS, Size, SizedWorkload, componentSize, resourceValues } from '../platform';

/** Props of {@link Office}. */
export interface OfficeProps {
  readonly namespace: AppNamespace;
  /** Public host, e.g. `office.desk.agency.example`. */
  readonly host: string;
  /** The only WOPI host allowed to open documents: the files app's URL. */
  readonly wopiHost: string;
  /** Namespace of the files app's pods, allowed to reach Collabora in-cluster. */
  readonly filesNamespace: string;
  readonly filesPodLabels: Readonly<Record<string, string>>;
  readonly ingress: IIngress;
  readonly issuer: ICertificateIssuer;
  /** @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
  /** How large the suite is: CPU and memory of the one Collabora pod (constructs/platform/sizing.ts). @default 'small' */
  readonly size?: Size;
}

/** Port of coolwsd. */
export const COLLABORA_PORT = 9980;

/**
 * Collabora Online for editing documents stored in Nextcloud.
 *
 * @example
 * new Office(this, 'Office', { namespace, host: 'office.desk.agency.example', wopiHost: files.url, filesNamespace, filesPodLabels, ingress, issuer });
 */
export class Office extends Construct {
  public readonly host: string;
  public readonly url: string;
  public readonly podLabels = { 'app.kubernetes.io/name': 'collabora-online', 'app.kubernetes.io/instance': 'collabora' };

  constructor(scope: Construct, id: string, props: OfficeProps) {
    super(scope, id);
    if (!/^https:\/\/[^/]+$/.test(props.wopiHost)) {
      throw new Error(`Office ${this.node.path}: 'wopiHost' ("${props.wopiHost}") must be https://<host> without a path. Fix: pass the files app's URL, e.g. "https://files.desk.agency.example".`);
    }
    this.host = props.host;
    this.url = `https://${props.host}`;
    const ns = props.namespace.reference;
    const admin = new GeneratedSecret(this, 'Admin', { namespace: ns, name: 'collabora-admin', generated: ['password'], data: { username: 'desk-admin' } });
    const sized = componentSize('collabora', props.size);
    new SizedWorkload(this, 'Size', {
      app: 'office', component: 'Collabora', sized, namespace: props.namespace.name, podLabels: this.podLabels,
      singleReplicaReason: SINGLE_REPLICA_REASONS.collabora,
    });
    new ChartRelease(this, 'Collabora', {
      chart: 'collabora-online',
      releaseName: 'collabora',
      namespace: ns,
      mirror: props.mirror,
      dependsOn: [admin.secret],
      values: {
        replicaCount: sized.replicas,
        resources: resourceValues(sized),
        collabora: {
          // WOPI allow-list: only the files host may open documents.
          aliasgroups: [{ host: props.wopiHost }],
          server_name: props.host,
          existingSecret: { enabled: true, secretName: admin.secretName, usernameKey: 'username', passwordKey: 'password' },
        },
        ingress: {
          enabled: true,
          className: props.ingress.className,
          annotations: certificateAnnotations(props.issuer),
          hosts: [{ host: props.host, paths: [{ path: '/', pathType: 'Prefix' }] }],
          tls: [{ secretName: 'collabora-tls', hosts: [props.host] }],
        },
      },
    });
    new AllowIngress(this, 'AllowFromIngress', {
      namespace: ns, name: 'allow-ingress-and-files-to-collabora', podLabels: this.podLabels,
      from: [{ namespace: props.ingress.namespace }, { namespace: props.filesNamespace, podLabels: props.filesPodLabels }],
      ports: [COLLABORA_PORT],
    });
  }
}
