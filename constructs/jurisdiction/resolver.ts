/**
 * Resolves what a placement points at — a URL, host, image reference or
 * `provider/region` — to a location, from the catalogue or the spec's
 * declarations. Anything that resolves to nothing is unproven.
 */
import { AddressRange, isNodeLocal, parseRange, rangeContains } from './address-ranges';
import { Country } from './countries';
import { hostMatches, matchHost, resolveRegionId, suggestRegionId } from './catalogue';
import { clusterRangeProblem, declarationProblems, ownDomainProblems } from './declarations';
import { HostKind, canonicalHost, parseEndpoint, printable } from './endpoint';
import { Location, Resolution, resolved, unproven } from './location';
import { SPEC_SETTING_NAMES, SettingNames } from './setting-names';

/** A spec declaration: where a host or address range outside the catalogue is, and who runs it. */
export interface LocationDeclaration {
  /** Exact host, `*.suffix` for every subdomain, or an address range (`192.0.2.0/24`). */
  readonly pattern: string;
  readonly countries: readonly Country[];
  readonly operator: Country;
  /** @default - the operator's country */
  readonly parent?: Country;
}

/** Inputs of a resolver. */
export interface LocationResolverOptions {
  /** Hosts and address ranges outside the catalogue, from `spec.locations`. @default - none */
  readonly declarations?: readonly LocationDeclaration[];
  /** Location of the cluster; in-cluster names and `ownDomains` resolve to it. @default - unproven */
  readonly cluster?: Resolution;
  /** DNS domains served by the cluster's ingress (e.g. `spec.domain`). @default - none */
  readonly ownDomains?: readonly string[];
  /** The cluster's pod and service address ranges: addresses in them are in the cluster. @default - none */
  readonly clusterCidrs?: readonly string[];
  /** How fixes name the settings: the deployment spec's fields, or a stack's props in code. @default SPEC_SETTING_NAMES */
  readonly names?: SettingNames;
}

/** How a name is used where it was found. */
export interface ResolveOptions {
  /**
   * The field is a known reference to a Service of the cluster, so a name
   * without a dot is a Service name. Anywhere else such a name goes through
   * the pod's DNS search path and could be anything.
   * @default false
   */
  readonly serviceReference?: boolean;
}

/** Matches a reference to another resource or variable, which is known only at apply time. */
const TOKEN = /\$\{|\{\{|#\{|%\{/;
/** `<service>.<namespace>.svc`, and any name under `svc.cluster.local`: the cluster's own DNS. */
const SERVICE_DNS = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?\.[a-z0-9]([a-z0-9-]*[a-z0-9])?\.svc$|^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+svc\.cluster\.local$/;
const SERVICE_NAME = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** Targets that name something the proof cannot locate, by prefix. */
const OPAQUE: readonly { prefix: string; reason: (rest: string) => string; hint: (names: SettingNames) => string }[] = [
  { prefix: 'local:', reason: (rest) => `${rest} is a file on whichever machine runs Terraform`, hint: () => 'keep data in the cluster or in a declared store; a local file is never proven' },
  { prefix: 'module:', reason: (rest) => `module ${rest} creates resources that are not in the synthesized configuration, so their placements cannot be proven`, hint: () => 'write the resources as constructs of the stack, or suppress with the reason the module is sovereign' },
  { prefix: 'clusterissuer:', reason: (rest) => `the ClusterIssuer ${rest} names its certificate authority by reference, and nothing says which CA that is`, hint: (names) => `set ${names.issuerServer} to the CA the issuer uses (its ACME directory or Vault URL), or in-cluster for a CA or self-signed issuer` },
  { prefix: 'kubeconfig:', reason: (rest) => `the Kubernetes API server is read from the kubeconfig (${rest}) when Terraform runs, so which cluster it is cannot be proven`, hint: (names) => `name the API server: set ${names.apiServer} to its URL` },
  { prefix: 'provider:', reason: (rest) => `provider ${rest} is not in the catalogue, so where its resources are cannot be proven`, hint: () => 'use a catalogued provider, or suppress SD-UNPROVEN for these resources with a reason' },
];

/**
 * Turns targets into locations.
 *
 * @example
 * const resolver = new LocationResolver({ declarations: [{ pattern: '*.agency.example', countries: ['DE'], operator: 'DE' }] });
 * resolver.resolve('https://fsn1.your-objectstorage.com'); // Hetzner fsn1, DE
 */
export class LocationResolver {
  private readonly hostDeclarations: readonly LocationDeclaration[];
  /** Declarations that widen or contradict the catalogue, with why: never used to place anything. */
  private readonly refused: readonly { readonly declaration: LocationDeclaration; readonly problem: string }[];
  private readonly rangeDeclarations: readonly { readonly declaration: LocationDeclaration; readonly range: AddressRange }[];
  private readonly cluster: Resolution;
  private readonly ownDomains: readonly string[];
  private readonly clusterRanges: readonly AddressRange[];
  private readonly names: SettingNames;

  constructor(options: LocationResolverOptions = {}) {
    // The spec refuses these with an error; a stack's props are held to the same rules here, so that a
    // declaration written in code (*.com, 0.0.0.0/0, a catalogued host in another country) places nothing.
    const refused = (options.declarations ?? []).map((declaration) => ({ declaration, problem: declarationProblems(declaration)[0] }));
    this.refused = refused.filter((d): d is { declaration: LocationDeclaration; problem: string } => d.problem !== undefined);
    const declarations = refused.filter((d) => d.problem === undefined).map((d) => d.declaration);
    // The most specific declaration wins: exact hosts first, then longer suffixes; the longest prefix for ranges.
    this.hostDeclarations = declarations.filter((d) => !d.pattern.includes('/')).sort(
      (a, b) => Number(a.pattern.startsWith('*.')) - Number(b.pattern.startsWith('*.')) || b.pattern.length - a.pattern.length,
    );
    this.rangeDeclarations = declarations
      .map((declaration) => ({ declaration, range: parseRange(declaration.pattern) }))
      .filter((d): d is { declaration: LocationDeclaration; range: AddressRange } => d.range !== undefined)
      .sort((a, b) => b.range.prefix - a.range.prefix);
    this.names = options.names ?? SPEC_SETTING_NAMES;
    this.cluster = options.cluster ?? unproven('the cluster location is not known', `set ${this.names.clusterLocation}`);
    this.ownDomains = (options.ownDomains ?? []).map((d) => d.toLowerCase()).filter((d) => ownDomainProblems(d).length === 0);
    this.clusterRanges = (options.clusterCidrs ?? []).map(parseRange).filter((r): r is AddressRange => r !== undefined && clusterRangeProblem(r.text) === undefined);
  }

  /**
   * Resolves a URL (`https://…`, `s3://…`, `oci://…`, `smtp://…`, any scheme),
   * a bare host (`host[:port][/path]`), a catalogued `provider/region` id, or
   * a `k8s://` object of the cluster.
   */
  public resolve(target: string, options: ResolveOptions = {}): Resolution {
    if (TOKEN.test(target)) return computed(target);
    for (const opaque of OPAQUE) {
      if (target.startsWith(opaque.prefix)) return unproven(opaque.reason(target.slice(opaque.prefix.length)), opaque.hint(this.names));
    }
    if (target.startsWith('k8s://')) return this.inCluster(`${target} is an object of the cluster`);
    if (/^(s3|gs|az|abfss?|wasbs?):\/\//i.test(target)) {
      return unproven(
        `${target} names a bucket, not a host: the service that holds it is set by the endpoint configured beside it (without one, the cloud's default, e.g. AWS S3)`,
        'configure the endpoint next to the bucket URL (e.g. endpointURL) with a proven host',
      );
    }
    if (/^[a-z0-9-]+\/[a-z0-9/-]+$/.test(target)) {
      const region = resolveRegionId(target, this.names);
      if (region) return region;
    }
    const parsed = parseEndpoint(target);
    if (!parsed.ok) {
      const hint = /^[a-z0-9-]+\/[^/]*$/i.test(target) && !target.includes('.') ? regionHint(target) : parsed.hint;
      return unproven(`${parsed.reason}, so where it leads cannot be proven`, hint);
    }
    return this.resolveParsedHost(parsed.endpoint.host, parsed.endpoint.hostKind, options);
  }

  /** Resolves a container image reference to its registry's location. */
  public resolveImage(image: string): Resolution {
    if (TOKEN.test(image)) return computed(image);
    const registry = registryOf(image);
    if (registry === undefined) {
      return unproven(`"${printable(image)}" is not an image reference every runtime reads the same way`, 'write the image as registry.example/path/name:tag or @sha256:digest');
    }
    return this.resolve(registry);
  }

  /** Resolves a host name (without scheme or port). */
  public resolveHost(rawHost: string, options: ResolveOptions = {}): Resolution {
    if (TOKEN.test(rawHost)) return computed(rawHost);
    const host = canonicalHost(rawHost.startsWith('[') || !rawHost.includes(':') ? rawHost : `[${rawHost}]`);
    if ('reason' in host) return unproven(`"${printable(rawHost)}" ${host.reason}`, host.hint);
    return this.resolveParsedHost(host.host, host.kind, options);
  }

  private resolveParsedHost(host: string, kind: HostKind, options: ResolveOptions): Resolution {
    if (kind !== 'dns') return this.resolveAddress(host);
    if (host === 'localhost') return this.inCluster('localhost is the pod itself');
    if (SERVICE_DNS.test(host)) return this.inCluster(`${host} is a Service name of the cluster's DNS`);
    if (!host.includes('.')) {
      if (options.serviceReference && SERVICE_NAME.test(host)) return this.inCluster(`${host} is a Service of the namespace`);
      return unproven(
        `${host} has no dot: the pod's DNS search path decides what it reaches, so it is not proven to be in the cluster`,
        `write the in-cluster name in full (${host}.<namespace>.svc), or a fully qualified host`,
      );
    }
    if (this.ownDomains.some((d) => host === d || host.endsWith(`.${d}`))) {
      return this.inCluster(`${host} is served by the cluster's ingress`);
    }
    const match = matchHost(host, this.names);
    if (match?.type === 'service') return resolved(match.location);
    if (match && match.resolution.status === 'resolved') return match.resolution;
    const declared = this.hostDeclarations.find((d) => hostMatches(d.pattern, host));
    if (declared) return resolved(declarationLocation(declared, this.names));
    if (match) return match.resolution;
    const refused = this.refused.find((d) => hostMatches(d.declaration.pattern.toLowerCase(), host));
    if (refused) {
      return unproven(
        `${host} matches only the declaration "${refused.declaration.pattern}", which is refused: ${refused.problem}`,
        `declare the registrable domain you control or the exact host, as the catalogue places it`,
      );
    }
    return unproven(
      `${host} is not in the catalogue and nothing in ${this.names.locations} matches it`,
      `declare it: ${this.names.declareLocation(host)}, or use a catalogued endpoint`,
    );
  }

  private resolveAddress(address: string): Resolution {
    if (isNodeLocal(address)) return this.inCluster(`${address} is a loopback or unspecified address, which never leaves the node`);
    if (this.clusterRanges.some((range) => rangeContains(range, address))) {
      return this.inCluster(`${address} is in the cluster's pod or service ranges (${this.names.clusterRanges})`);
    }
    const declared = this.rangeDeclarations.find((d) => rangeContains(d.range, address));
    if (declared) return resolved(declarationLocation(declared.declaration, this.names));
    const refused = this.refused.find((d) => {
      const range = parseRange(d.declaration.pattern);
      return range !== undefined && rangeContains(range, address);
    });
    if (refused) {
      return unproven(
        `${address} is only in the declared range ${refused.declaration.pattern}, which is refused: ${refused.problem}`,
        `declare the narrow range the address is in (e.g. "${address.includes(':') ? `${address}/128` : `${address}/32`}")`,
      );
    }
    return unproven(
      `${address} is an IP address outside every declared range, so where it is cannot be proven`,
      `declare its range: ${this.names.declareLocation(address.includes(':') ? `${address}/128` : `${address}/32`)}, or add the cluster's ranges to ${this.names.clusterRanges}`,
    );
  }

  private inCluster(why: string): Resolution {
    if (this.cluster.status !== 'resolved') return this.cluster;
    return resolved({ ...this.cluster.location, evidence: `${why}; ${this.cluster.location.evidence}`, proof: 'cluster' });
  }
}

/** The location a declaration states. */
export function declarationLocation(declaration: LocationDeclaration, names: SettingNames = SPEC_SETTING_NAMES): Location {
  return {
    countries: [...new Set(declaration.countries)].sort(),
    operator: declaration.operator,
    parent: declaration.parent ?? declaration.operator,
    label: `declared ${declaration.pattern}`,
    proof: 'declaration',
    evidence: names.vocabulary === 'spec' ? `spec.locations["${declaration.pattern}"]` : `locations: "${declaration.pattern}"`,
  };
}

/**
 * Checks a declaration against the catalogue. A declaration may fill in what a
 * catalogued host hides (e.g. which Azure region an account is in) but may not
 * widen or contradict it.
 * @returns one sentence per contradiction; empty when consistent.
 */
export function contradictions(declaration: LocationDeclaration): string[] {
  return declarationProblems(declaration);
}

/** The host of a URL or `host[:port][/path]`, lower case; undefined when there is none or parsers disagree. */
export function hostOf(target: string): string | undefined {
  const parsed = parseEndpoint(target.trim());
  return parsed.ok ? parsed.endpoint.host : undefined;
}

/**
 * The registry host of an image reference, following the distribution
 * reference grammar Docker, containerd and CRI-O share: the first path
 * component is a registry when it contains a dot or a colon or is
 * `localhost`; otherwise the image is on Docker Hub.
 * @returns undefined when the reference is malformed (whitespace, backslash, an empty component)
 */
export function registryOf(image: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (image.length === 0 || /[\s\u0000-\u001f\u007f\\]/.test(image) || /^[a-z][a-z0-9+.-]*:\/\//i.test(image)) return undefined;
  const withoutDigest = image.split('@')[0];
  const components = withoutDigest.split('/');
  if (components.some((c) => c.length === 0)) return undefined;
  const first = components[0];
  const isRegistry = components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  return isRegistry ? first.replace(/:\d+$/, '').toLowerCase() : 'docker.io';
}

function computed(value: string): Resolution {
  return unproven(
    `"${value}" is computed at apply time (a reference or template), so its location cannot be proven at synthesis`,
    'use a literal host, or declare the placement explicitly with a literal target',
  );
}

function regionHint(target: string): string {
  const suggestion = suggestRegionId(target);
  return suggestion ? `did you mean "${suggestion}"?` : 'use a URL, a host, or provider/region from the catalogue';
}

