/**
 * The ingress controller: an existing one named by its IngressClass, or
 * Traefik installed here.
 */
import { Construct } from 'constructs';
import { AppNamespace } from './app-namespace';
import { ChartRelease, declareChartCapacity } from './chart-release';
import { IIngress } from './interfaces';
import { AllowIngress } from './network-policies';
import { RegistryMirror } from './registry-mirror';

/**
 * An ingress controller that is already installed.
 *
 * @example
 * const ingress = new ExistingIngress('traefik', 'traefik');
 */
export class ExistingIngress implements IIngress {
  /**
   * @param className IngressClass name
   * @param namespace namespace of the controller's pods
   */
  constructor(public readonly className: string, public readonly namespace: string) {}
}

/** Props of {@link Traefik}. */
export interface TraefikProps {
  readonly namespace: AppNamespace;
  /** IngressClass to create. @default 'traefik' */
  readonly className?: string;
  /** @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
}

/**
 * Traefik (chart `traefik`) as the suite's ingress controller.
 *
 * @example
 * const ingress = new Traefik(this, 'Traefik', { namespace: traefikNamespace });
 */
export class Traefik extends Construct implements IIngress {
  public readonly className: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: TraefikProps) {
    super(scope, id);
    this.className = props.className ?? 'traefik';
    this.namespace = props.namespace.name;
    const release = new ChartRelease(this, 'Chart', {
      chart: 'traefik',
      releaseName: 'traefik',
      namespace: props.namespace.reference,
      mirror: props.mirror,
      values: { ingressClass: { enabled: true, isDefaultClass: false, name: this.className } },
    });
    declareChartCapacity(release, [{ app: 'platform', component: 'Traefik', resourcesPath: '' }]);
    // The namespace denies ingress by default; the load balancer brings traffic from anywhere to Traefik's web and websecure ports.
    new AllowIngress(this, 'AllowWeb', {
      namespace: props.namespace.reference, name: 'allow-web-to-traefik', podLabels: { 'app.kubernetes.io/name': 'traefik' },
      from: [{ cidr: '0.0.0.0/0' }], ports: [8000, 8443],
    });
  }
}
