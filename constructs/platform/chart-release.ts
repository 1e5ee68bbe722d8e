/**
 * One pinned upstream chart installed as a Helm release, with its values
 * merged through the typed loader and its placements declared.
 */
import { Release } from '@cdktf/provider-helm/lib/release';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { DeclaredCapacity, DeclaredPlacement, PublishedPort } from '../proof';
import { CHARTS, ChartName, Values } from './charts';
import { chartValues, toYaml } from './chart-values';
import { RegistryMirror } from './registry-mirror';

/** Props of {@link ChartRelease}. */
export interface ChartReleaseProps {
  readonly chart: ChartName;
  /** Release name (also the prefix of the chart's resource names). */
  readonly releaseName: string;
  /** Namespace to install into; pass the namespace construct's name so the release waits for it. */
  readonly namespace: string;
  /** The computed part of the values, merged over `charts-values/<chart>.yaml`. @default - the base values only */
  readonly values?: Values;
  /** Where images and the chart come from. @default RegistryMirror.none() */
  readonly mirror?: RegistryMirror;
  /** Resources that must exist first (e.g. the database operator). @default - none */
  readonly dependsOn?: ITerraformDependable[];
  /** Seconds Helm waits for the release to become ready. @default 900 */
  readonly timeoutSeconds?: number;
}

/**
 * A Helm release of a pinned chart of the suite.
 *
 * @example
 * new ChartRelease(this, 'Keycloak', { chart: 'keycloakx', releaseName: 'keycloak', namespace: ns.name, values: { replicas: 2 } });
 */
export class ChartRelease extends Construct {
  public readonly release: Release;
  /** The merged values, as rendered into the release. */
  public readonly values: Values;

  constructor(scope: Construct, id: string, props: ChartReleaseProps) {
    super(scope, id);
    const facts = CHARTS[props.chart];
    const mirror = props.mirror ?? RegistryMirror.none();
    this.values = chartValues(props.chart, ...mirror.imageValues(facts), props.values ?? {});
    const repository = mirror.chartRepository(facts);
    this.release = new Release(this, 'Release', {
      name: props.releaseName,
      namespace: props.namespace,
      chart: facts.name,
      repository,
      version: facts.version,
      values: [escapeTerraformTemplates(toYaml(this.values))],
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: props.timeoutSeconds ?? 900,
      dependsOn: props.dependsOn,
    });
    new DeclaredPlacement(this, 'ChartRepository', {
      kind: 'chart-repository', target: repository, description: `chart ${facts.name}@${facts.version}`,
    });
    facts.images.forEach((image, index) => {
      const pulled = mirror.image(image);
      // A tag the chart pins itself (its appVersion) is not written here; the registry is what is placed.
      const tag = /^[\w][\w.-]{0,127}$/.test(pulled.tag) ? `:${pulled.tag}` : '';
      new DeclaredPlacement(this, `Image${index}`, {
        kind: 'registry', target: `${pulled.reference}${tag}`, description: `image ${image.upstream} of ${facts.name}`,
      });
    });
  }
}

/** A workload of a chart whose resources stand in its values. */
export interface ChartWorkload {
  /** The app it belongs to, in the capacity report. */
  readonly app: string;
  /** Display name, e.g. `cert-manager webhook`. */
  readonly component: string;
  /** Dotted path of its `resources` in the values (`''` for the top level). */
  readonly resourcesPath: string;
  /** Pods: a number, or `per-node` for a DaemonSet. @default 1 */
  readonly replicas?: number | 'per-node';
  /** Why it runs one replica at every size. @default - none */
  readonly singleReplicaReason?: string;
  /** Persistent volume of one replica, in GiB. @default 0 */
  readonly volumeGiB?: number;
  /** A persistent volume all replicas share, in GiB (counted once). @default 0 */
  readonly sharedVolumeGiB?: number;
  /** Ports the load balancer must publish. @default - none */
  readonly ports?: readonly PublishedPort[];
}

/**
 * Declares the capacity of a chart's workloads from the values the release
 * renders, so the report adds up exactly what is installed.
 * @throws Error naming the path when the values hold no resources there
 */
export function declareChartCapacity(release: ChartRelease, workloads: readonly ChartWorkload[]): void {
  workloads.forEach((w, index) => {
    const resources = (w.resourcesPath ? w.resourcesPath.split('.') : []).concat('resources')
      .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), release.values) as
      { requests?: { cpu?: string; memory?: string }; limits?: { cpu?: string; memory?: string } } | undefined;
    if (!resources?.requests?.cpu || !resources.requests.memory) {
      throw new Error(`ChartRelease ${release.node.path}: no resources.requests (cpu and memory) at "${w.resourcesPath || '(top level)'}" of its values. Fix: set them in charts-values, every workload needs requests.`);
    }
    new DeclaredCapacity(release, `Capacity${index}`, {
      app: w.app, component: w.component, replicas: w.replicas ?? 1,
      requests: { cpu: String(resources.requests.cpu), memory: String(resources.requests.memory) },
      ...(resources.limits ? { limits: resources.limits } : {}),
      ...(w.singleReplicaReason ? { singleReplicaReason: w.singleReplicaReason } : {}),
      ...(w.volumeGiB ? { volumeGiB: w.volumeGiB } : {}),
      ...(w.sharedVolumeGiB ? { sharedVolumeGiB: w.sharedVolumeGiB } : {}),
      ...(w.ports ? { ports: w.ports } : {}),
    });
  });
}

/**
 * Terraform reads every JSON string as a template: a literal `${` or `%{` (a
 * shell variable in a hook script, an environment reference in a config file)
 * must be written `$${` / `%%{`. cdktf's own references are still unresolved
 * tokens (`${TfToken[…]}`) at this point and are left alone.
 */
export function escapeTerraformTemplates(text: string): string {
  return text.replace(/\$\{(?!TfToken\[)/g, '$$${').replace(/%\{/g, '%%{');
}
