/**
 * TLS certificates for the suite's hosts through cert-manager: either an
 * ACME ClusterIssuer created here, or an existing ClusterIssuer.
 */
import { Construct } from 'constructs';
import { settingName } from '../jurisdiction';
import { DeclaredPlacement, SovereignStack } from '../proof';
import { AppNamespace } from './app-namespace';
import { ChartRelease, declareChartCapacity } from './chart-release';
import { AllowIngress } from './network-policies';
import { ICertificateIssuer, IIngress } from './interfaces';
import { RegistryMirror } from './registry-mirror';
import { toYaml } from './chart-values';

/** Props of {@link CertManager}. */
export interface CertManagerProps {
  readonly namespace: AppNamespace;
  /** ACME directory URL of the certificate authority. */
  readonly acmeServer: string;
  /** Contact e-mail registered with the CA. @default - none */
  readonly email?: string;
  /** Ingress class that answers HTTP-01 challenges. */
  readonly ingress: IIngress;
  /** Name of the ClusterIssuer. @default 'desk-acme' */
  readonly issuerName?: string;
  /** @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
}

/**
 * cert-manager (chart `cert-manager`, with CRDs) and an ACME ClusterIssuer.
 *
 * The ClusterIssuer is a post-install hook of the same release, so it is
 * created once cert-manager's CRDs and webhook are up: one `cdktf deploy`,
 * no second pass.
 *
 * @example
 * const issuer = new CertManager(this, 'CertManager', { namespace, acmeServer: 'https://acme.agency.example/directory', ingress });
 * issuer.clusterIssuer; // 'desk-acme'
 */
export class CertManager extends Construct implements ICertificateIssuer {
  public readonly clusterIssuer: string;

  constructor(scope: Construct, id: string, props: CertManagerProps) {
    super(scope, id);
    this.clusterIssuer = props.issuerName ?? 'desk-acme';
    const issuer = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: {
        name: this.clusterIssuer,
        annotations: { 'helm.sh/hook': 'post-install,post-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation' },
      },
      spec: {
        acme: {
          server: props.acmeServer,
          ...(props.email ? { email: props.email } : {}),
          privateKeySecretRef: { name: `${this.clusterIssuer}-account-key` },
          solvers: [{ http01: { ingress: { ingressClassName: props.ingress.className } } }],
        },
      },
    };
    const release = new ChartRelease(this, 'Chart', {
      chart: 'cert-manager',
      releaseName: 'cert-manager',
      namespace: props.namespace.reference,
      mirror: props.mirror,
      values: { extraObjects: [toYaml(issuer)] },
    });
    declareChartCapacity(release, [
      { app: 'platform', component: 'cert-manager', resourcesPath: '' },
      { app: 'platform', component: 'cert-manager webhook', resourcesPath: 'webhook' },
      { app: 'platform', component: 'cert-manager cainjector', resourcesPath: 'cainjector' },
    ]);
    // The API server calls cert-manager's admission webhook from outside the pod network.
    new AllowIngress(this, 'AllowWebhook', {
      namespace: props.namespace.reference, name: 'allow-cert-manager-webhook',
      podLabels: { 'app.kubernetes.io/name': 'webhook', 'app.kubernetes.io/instance': 'cert-manager' },
      from: [{ cidr: '0.0.0.0/0' }], ports: [10250],
    });
    new DeclaredPlacement(this, 'AcmeServer', {
      kind: 'endpoint', target: props.acmeServer, description: 'ACME certificate authority', field: settingName(SovereignStack.of(this).settingNames, 'spec.tls.acme', 'new CertManager(…, { acmeServer })'), namespace: props.namespace.name,
    });
  }
}

/**
 * A ClusterIssuer that already exists in the cluster (`spec.tls.issuer`).
 *
 * @example
 * const issuer = new ExistingIssuer('internal-ca');
 */
export class ExistingIssuer implements ICertificateIssuer {
  constructor(public readonly clusterIssuer: string) {}
}

/** Props of {@link DeclaredIssuer}. */
export interface DeclaredIssuerProps {
  /** Name of a ClusterIssuer that already exists in the cluster. */
  readonly clusterIssuer: string;
  /**
   * The certificate authority the issuer talks to: its ACME directory or
   * Vault URL, or `in-cluster` for a CA or self-signed issuer whose keys stay
   * in the cluster.
   * @default - not said: the CA cannot be placed, and SD-UNPROVEN fails the synth
   */
  readonly server?: string;
  /**
   * The setting the issuer comes from, named in findings.
   * @default - spec.tls.issuer / spec.tls.issuerServer, or the props in a stack written in TypeScript
   */
  readonly field?: string;
  /**
   * The stack that provides the ClusterIssuer (a shared cluster's Cluster):
   * findings on its CA are then not suppressible in this stack.
   * @default - this stack's own issuer
   */
  readonly sharedBy?: string;
}

/**
 * An existing ClusterIssuer, with the certificate authority behind it
 * declared as a placement (a ClusterIssuer names its CA only by reference).
 *
 * @example
 * const issuer = new DeclaredIssuer(stack, 'Issuer', { clusterIssuer: 'internal-ca', server: 'in-cluster' });
 */
export class DeclaredIssuer extends Construct implements ICertificateIssuer {
  public readonly clusterIssuer: string;

  constructor(scope: Construct, id: string, props: DeclaredIssuerProps) {
    super(scope, id);
    const names = SovereignStack.of(this).settingNames;
    const name = props.clusterIssuer;
    this.clusterIssuer = name;
    new DeclaredPlacement(this, 'CertificateAuthority', {
      kind: 'endpoint',
      target: props.server === undefined ? `clusterissuer:${name}` : props.server === 'in-cluster' ? `k8s://clusterissuer/${name}` : props.server,
      description: `certificate authority of the ClusterIssuer ${name}`,
      issuer: name,
      field: props.field ?? (props.server === undefined
        ? settingName(names, 'spec.tls.issuer', `new DeclaredIssuer(…, { clusterIssuer: '${name}' })`)
        : settingName(names, 'spec.tls.issuerServer', 'new DeclaredIssuer(…, { server })')),
      ...(props.sharedBy ? { sharedBy: props.sharedBy } : {}),
    });
  }
}

/** Annotations that make cert-manager issue an Ingress's certificate from the issuer. */
export function certificateAnnotations(issuer: ICertificateIssuer): Record<string, string> {
  return { 'cert-manager.io/cluster-issuer': issuer.clusterIssuer };
}
