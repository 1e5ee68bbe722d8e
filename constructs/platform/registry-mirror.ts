/**
 * Where images and charts are pulled from: upstream, or through one mirror
 * registry (`spec.registry.mirror`) that holds every image as
 * `<mirror>/<upstream registry>/<repository>` and every chart under
 * `oci://<mirror>/charts`.
 */
import { ChartFacts, ChartImage, Values } from './charts';

/** An image as it will be pulled. */
export interface PulledImage {
  /** Registry part the chart writes before the repository (empty for full references). */
  readonly registry: string;
  readonly repository: string;
  /** Full reference without tag. */
  readonly reference: string;
  readonly tag: string;
}

/**
 * Rewrites image and chart locations.
 *
 * @example
 * const mirror = RegistryMirror.at('registry.agency.example/desk');
 * mirror.chartRepository(CHARTS.keycloakx); // 'oci://registry.agency.example/desk/charts'
 */
export class RegistryMirror {
  /** Pull everything from upstream. */
  public static none(): RegistryMirror {
    return new RegistryMirror(undefined);
  }

  /** Pull everything through `host[/path]`. */
  public static at(mirror: string): RegistryMirror {
    return new RegistryMirror(mirror.replace(/\/+$/, ''));
  }

  private constructor(public readonly mirror: string | undefined) {}

  /** The chart repository to install from. */
  public chartRepository(chart: ChartFacts): string {
    return this.mirror ? `oci://${this.mirror}/charts` : chart.repository;
  }

  /** The image as pulled. */
  public image(image: Pick<ChartImage, 'upstream' | 'tag'>): PulledImage {
    const slash = image.upstream.indexOf('/');
    const upstreamRegistry = image.upstream.slice(0, slash);
    const upstreamRepository = image.upstream.slice(slash + 1);
    if (!this.mirror) {
      return { registry: upstreamRegistry, repository: upstreamRepository, reference: image.upstream, tag: image.tag };
    }
    return { registry: this.mirror, repository: image.upstream, reference: `${this.mirror}/${image.upstream}`, tag: image.tag };
  }

  /** Values that point every image of a chart at its pulled location. */
  public imageValues(chart: ChartFacts): Values[] {
    return chart.images.map((image) => image.values(this.image(image)));
  }
}
