/**
 * A TerraformStack that proves, at synthesis, where every placement of its
 * resources is — and reports every place that leaves the declared bounds.
 */
import { AnnotationMetadataEntryType, LocalBackend, TerraformBackend, TerraformStack } from 'cdktf';
// The token resolver cdktf itself uses to write cdk.tf.json (no public equivalent).
import { resolve } from 'cdktf/lib/_tokens';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { ComponentLicence, FrameworkWeights, writeReports } from '../report';
import { Construct, IConstruct } from 'constructs';
import { Jurisdiction, LocationDeclaration, LocationResolver } from '../jurisdiction';
import { BackupCoverage, DeclaredPlacement, declaredPlacements } from './declared-placement';
import { PolicyResult, RULE_FAILED, Suppression, evaluate } from './engine';
import { formatFinding, formatUnusedSuppression } from './format';
import { DATA_STORE_KINDS, Placement, PlacementSpec, resolvePlacement } from './placement';
import { PolicyContext, Profile } from './rule';
import { ALL_RULES } from './rules';
import { TerraformJson, scanTerraform } from './scan';

const SOVEREIGN_STACK = Symbol.for('sovereign-desk.SovereignStack');

/** Props of {@link SovereignStack}. */
export interface SovereignStackProps {
  /** Where data may physically be. */
  readonly jurisdiction: Jurisdiction;
  /** Whose law may control operators and their parents. @default - the same as `jurisdiction` */
  readonly operators?: Jurisdiction;
  /** @default 'sovereign' */
  readonly profile?: Profile;
  /** `provider/region` from the catalogue, or a host declared in `locations`. */
  readonly clusterLocation: string;
  /** Where hosts outside the catalogue are. @default - none */
  readonly locations?: readonly LocationDeclaration[];
  /** Findings accepted with a written reason; always reported. @default - none */
  readonly suppressions?: readonly Suppression[];
  /** DNS domains served by the cluster's ingress; their hosts are in the cluster. @default - none */
  readonly ownDomains?: readonly string[];
  /** The sovereignty report written on every synth, or `false` for none. @default - reports with SARIF locations in main.ts */
  readonly report?: SovereignStackReportProps | false;
}

/** Where the report points reviewers, and how it weighs the framework. */
export interface SovereignStackReportProps {
  /** The deployment spec (or other source) findings are attributed to, relative to the repository root. @default 'main.ts' */
  readonly specPath?: string;
  /** Line of a spec field in that file. @default - no lines */
  readonly lineOf?: (field: string) => number | undefined;
  /** EU Cloud Sovereignty Framework weights. @default DEFAULT_WEIGHTS */
  readonly weights?: FrameworkWeights;
  /** Deployed components and their licences. @default - none (SOV-6 not evidenced) */
  readonly components?: readonly ComponentLicence[];
}

/**
 * A stack with a jurisdiction, a profile and a cluster location.
 *
 * After all aspects have run, a stack validation builds the placement
 * inventory — placements declared by constructs plus a scan of every
 * resource, provider and backend in the synthesized configuration — runs the
 * policy rules, and turns findings into error or warning annotations on the
 * offending constructs. Findings never throw; `cdktf synth` fails on errors.
 *
 * @example
 * const stack = new SovereignStack(app, 'agency-de', {
 *   jurisdiction: Jurisdiction.of('DE'),
 *   operators: Jurisdiction.of('EU'),
 *   clusterLocation: 'stackit/eu01',
 * });
 */
export class SovereignStack extends TerraformStack {
  /** True for a SovereignStack from any installed copy of this package. */
  public static isSovereignStack(x: unknown): x is SovereignStack {
    return typeof x === 'object' && x !== null && SOVEREIGN_STACK in x;
  }

  /** The SovereignStack a construct belongs to. */
  public static of(construct: IConstruct): SovereignStack {
    const found = construct.node.scopes.slice().reverse().find(SovereignStack.isSovereignStack);
    if (!found) {
      throw new Error(`${construct.node.path} is not inside a SovereignStack: placements are only proven there. Create it under a SovereignStack (constructs/policy).`);
    }
    return found;
  }

  public readonly context: PolicyContext;
  public readonly resolver: LocationResolver;
  private readonly suppressions: readonly Suppression[];
  private proof?: PolicyResult;
  private annotated = false;

  constructor(scope: Construct, id: string, props: SovereignStackProps) {
    super(scope, id);
    Object.defineProperty(this, SOVEREIGN_STACK, { value: true });
    this.context = {
      jurisdiction: props.jurisdiction,
      operators: props.operators ?? props.jurisdiction,
      profile: props.profile ?? 'sovereign',
    };
    const clusterResolver = new LocationResolver({ declarations: props.locations });
    this.resolver = new LocationResolver({
      declarations: props.locations,
      cluster: clusterResolver.resolve(props.clusterLocation),
      ownDomains: props.ownDomains,
    });
    this.suppressions = props.suppressions ?? [];
    new DeclaredPlacement(this, 'Cluster', {
      kind: 'cluster', target: props.clusterLocation, description: 'Kubernetes cluster (nodes and volumes)', field: 'spec.cluster.location',
    });
    this.node.addValidation({ validate: () => this.annotate() });
    const report = props.report ?? {};
    if (report) {
      // Runs after validations, before cdk.tf.json is written, and also when error findings fail the synth.
      addCustomSynthesis(this, {
        onSynthesize: (session) => {
          writeReports(session.outdir, this.node.id, this.prove(), {
            specPath: report.specPath ?? 'main.ts', lineOf: report.lineOf, weights: report.weights, components: report.components,
            rules: [
              ...ALL_RULES.map((r) => ({ id: r.id, title: r.title, explanation: r.explanation, objective: r.objective })),
              { id: RULE_FAILED, title: 'A policy rule failed', explanation: 'A rule threw instead of returning a verdict.', objective: 'SOV-7' },
            ],
          });
        },
      });
    }
  }

  /**
   * A stack without a backend gets local state at a relative path (cdktf's
   * default writes an absolute path, so output would differ per machine).
   * SD-STATE reports local state: choose a backend, or suppress with a reason.
   */
  public ensureBackendExists(): TerraformBackend {
    const existing = this.node.findAll().find(TerraformBackend.isBackend);
    return existing ?? new LocalBackend(this, { path: `terraform.${this.node.id}.tfstate` });
  }

  /**
   * The inventory and findings over the finished tree. Computed once, at the
   * first call (synthesis calls it after all aspects).
   */
  public prove(): PolicyResult {
    if (!this.proof) this.proof = evaluate(this.inventory(), this.context, this.suppressions);
    return this.proof;
  }

  private inventory(): Placement[] {
    const coverage = this.node.findAll().filter(BackupCoverage.isBackupCoverage);
    const place = (spec: PlacementSpec, ownerPath: string, origin: Placement['origin'], address?: string): Placement => {
      const covered = spec.kind === 'volume' && spec.namespace && !spec.backups
        ? coverage.filter((c) => c.namespaces.includes(spec.namespace as string)).map((c) => c.target)
        : [];
      const backups = [...(spec.backups ?? []), ...covered];
      return {
        ...spec,
        ...(address ? { address } : {}),
        ownerPath,
        origin,
        resolution: resolvePlacement(spec, this.resolver),
        ...(DATA_STORE_KINDS.includes(spec.kind)
          ? { backupLocations: backups.map((target) => ({ target, resolution: this.resolver.resolve(target) })) }
          : {}),
      };
    };
    const declared = declaredPlacements(this).map((d) => {
      const spec = { ...d.placement, target: String(resolve(this, d.placement.target)) };
      return place(spec, d.node.path, 'declared');
    });
    const known = new Set(declared.map((p) => `${p.kind}\u0000${p.target}`));
    const knownTargets = new Set(declared.map((p) => p.target));
    const scanned = scanTerraform(this.toTerraform() as TerraformJson, this.node.path)
      .filter((p) => !known.has(`${p.kind}\u0000${p.target}`) && !(p.kind === 'endpoint' && knownTargets.has(p.target)))
      .map(({ ownerPath, address, ...spec }) => place(spec, ownerPath, 'scan', address));
    return [...declared, ...scanned];
  }

  private annotate(): string[] {
    if (this.annotated) return [];
    this.annotated = true;
    const result = this.prove();
    const byPath = new Map(this.node.findAll().map((c) => [c.node.path, c] as const));
    const owner = (path: string): IConstruct => byPath.get(path) ?? this;
    for (const finding of result.findings) {
      const level = finding.severity === 'error' ? AnnotationMetadataEntryType.ERROR : AnnotationMetadataEntryType.WARN;
      owner(finding.placement.ownerPath).node.addMetadata(level, formatFinding(finding, this.context));
    }
    for (const finding of result.suppressed) {
      owner(finding.placement.ownerPath).node.addMetadata(AnnotationMetadataEntryType.INFO, `SUPPRESSED ${formatFinding(finding, this.context)}`);
    }
    for (const suppression of result.unusedSuppressions) {
      this.node.addMetadata(AnnotationMetadataEntryType.WARN, formatUnusedSuppression(suppression));
    }
    return [];
  }
}
