/**
 * A TerraformStack that proves, at synthesis, where every placement of its
 * resources is — and reports every place that leaves the declared bounds.
 */
import { KeyObject } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve as resolvePath, sep } from 'node:path';
import { AnnotationMetadataEntryType, App, IStackSynthesizer, LocalBackend, TerraformBackend, TerraformStack } from 'cdktf';
// The token resolver cdktf itself uses to write cdk.tf.json (no public equivalent).
import { resolve } from 'cdktf/lib/_tokens';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { ComponentLicence, FrameworkWeights, ReportFleet, SovereigntyReport, buildReport, reportFiles, writeReports } from '../report';
import { Construct, IConstruct } from 'constructs';
import { StackAttestation, attestStack, attestationLine, signingKeyFromEnvironment } from './attest';
import {
  CODE_SETTING_NAMES, Jurisdiction, LocationDeclaration, LocationResolver, SettingNames, clusterRangeProblem, declarationProblems, hostOf,
  ownDomainProblems, settingName,
} from '../jurisdiction';
import { declaredCapacities } from './declared-capacity';
import { BackupCoverage, DeclaredPlacement, declaredPlacements } from './declared-placement';
import { PolicyResult, RULE_FAILED, Suppression, evaluate, hasErrors, isAtOrBelow } from '../policy/engine';
import { formatFinding, formatUnusedSuppression } from '../policy/format';
import { DATA_STORE_KINDS, OPAQUE_KINDS, Placement, PlacementSpec, SUPPLY_CHAIN_KINDS, resolvePlacement } from '../policy/placement';
import { unproven } from '../jurisdiction/location';
import { WRITTEN_RULE, firstDifference, unprovenFiles, writtenFinding } from '../policy/written';
import { PolicyContext, Profile } from '../policy/rule';
import { ALL_RULES } from '../policy/rules';
import { TerraformJson, scanTerraform } from '../policy/scan';
import { custodyUnbacked } from '../policy/custody-backing';
import { ProvenStackSynthesizer, stableStringify } from './proven-synthesizer';
import { PROCESS_TERMINAL, StackAnnotation, runByCdktfCli, TerminalSink, tallyAnnotations, terminalLines, writeLines } from './terminal';

const SOVEREIGN_STACK = Symbol.for('sovereign-desk.SovereignStack');

/** The stacks of an app that are not SovereignStacks, by synthesis session (see SovereignStack.unpolicedStacks). */
const PLAIN_STACKS = new WeakMap<object, readonly TerraformStack[]>();

/** Every stack at or below `root` that is not a SovereignStack. */
function plainStacks(root: IConstruct): TerraformStack[] {
  return root.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c) && !SovereignStack.isSovereignStack(c));
}

/**
 * Where a local state file goes: relative to the project (the folder the app
 * runs in), written relative to the stack's working folder, where Terraform
 * resolves it. Not inside the output folder, which `rm -rf cdktf.out`
 * deletes with every generated secret in it. Deterministic for a given
 * output folder; an absolute `file` is kept.
 */
export function projectStatePath(stack: TerraformStack, file: string): string {
  if (isAbsolute(file)) return file;
  const working = resolvePath(App.of(stack).outdir, 'stacks', stack.node.id);
  return join(relative(working, process.cwd()), file).split(sep).join('/');
}

/** An image reference without its tag or digest: `quay.io/keycloak/keycloak:26.5.6` → `quay.io/keycloak/keycloak`. */
export function imageName(image: string): string {
  const name = image.split('@')[0];
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return colon > slash ? name.slice(0, colon) : name;
}

/** Props of a SovereignStack that would widen the proof: declarations, own domains and cluster ranges. */
export class SovereignStackPropsError extends Error {
  constructor(stack: string, public readonly problems: readonly string[]) {
    super(`new SovereignStack(…, '${stack}', { … }) cannot prove anything with these props (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'SovereignStackPropsError';
  }
}

/** The same checks as the deployment spec's, for stacks built in TypeScript. */
function checkProps(id: string, props: SovereignStackProps): void {
  const problems: string[] = [];
  (props.locations ?? []).forEach((declaration, index) => {
    for (const problem of declarationProblems(declaration)) {
      problems.push(`locations[${index}] ("${declaration.pattern}"): ${problem}. Fix: declare only hosts and ranges you control, agreeing with the catalogue`);
    }
  });
  (props.ownDomains ?? []).forEach((domain, index) => {
    for (const problem of ownDomainProblems(domain.toLowerCase())) {
      problems.push(`ownDomains[${index}] ("${domain}"): ${problem}. Fix: name the domain your ingress serves, e.g. desk.agency.example`);
    }
  });
  (props.clusterCidrs ?? []).forEach((range, index) => {
    const problem = clusterRangeProblem(range);
    if (problem) problems.push(`clusterCidrs[${index}] ("${range}"): ${problem}. Fix: use the cluster's own pod and Service ranges`);
  });
  if (problems.length > 0) throw new SovereignStackPropsError(id, problems);
}

interface SynthesisSession {
  readonly outdir: string;
  readonly manifest: { forStack(stack: TerraformStack): { synthesizedStackPath: string; annotations: StackAnnotation[] } };
}

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
  /**
   * The setting the cluster location comes from, named in findings (e.g. a
   * shared cluster's spec file).
   * @default - the stack's setting names' cluster location
   */
  readonly clusterLocationField?: string;
  /**
   * The stack that provides the cluster (a shared cluster's Cluster stack):
   * findings on the cluster's placement are then not suppressible here.
   * @default - the stack's own cluster
   */
  readonly clusterSharedBy?: string;
  /** Where hosts outside the catalogue are. @default - none */
  readonly locations?: readonly LocationDeclaration[];
  /** Findings accepted with a written reason; always reported. @default - none */
  readonly suppressions?: readonly Suppression[];
  /** DNS domains served by the cluster's ingress; their hosts are in the cluster. @default - none */
  readonly ownDomains?: readonly string[];
  /** The cluster's pod and Service address ranges; addresses in them are in the cluster. @default - none */
  readonly clusterCidrs?: readonly string[];
  /**
   * The provider mirror Terraform installs providers from (set in the CLI
   * configuration's `provider_installation` block). Providers' sources are
   * placed there instead of at registry.terraform.io.
   * @default - providers come from their registries
   */
  readonly providerMirror?: string;
  /**
   * How fixes name the settings: a stack written in TypeScript is told about
   * its props and constructs (`new SovereignStack(…, { locations })`); a
   * stack made from a deployment spec passes SPEC_SETTING_NAMES to be told
   * about spec fields.
   * @default CODE_SETTING_NAMES
   */
  readonly settingNames?: SettingNames;
  /** The sovereignty report written on every synth, or `false` for none. @default - reports with SARIF locations in main.ts */
  readonly report?: SovereignStackReportProps | false;
  /**
   * Where the findings, the verdict line and the state location are printed
   * after synthesis (see constructs/proof/terminal.ts), or `false` to print
   * nothing; the exit code is set either way.
   * @default - standard output and standard error
   */
  readonly terminal?: TerminalSink | false;
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
  /** Where the stack sits in a fleet. @default - a stack on its own */
  readonly fleet?: ReportFleet;
}

/**
 * A stack with a jurisdiction, a profile and a cluster location.
 *
 * After all aspects have run, a stack validation builds the placement
 * inventory — placements declared by constructs plus a scan of every
 * resource, provider and backend in the synthesized configuration — runs the
 * policy rules, and turns findings into error or warning annotations on the
 * offending constructs. Findings never throw; `cdktf synth` fails on errors.
 * When the environment variable DESK_SIGNING_KEY names an Ed25519 private
 * key, cdk.tf.json and the reports are signed once written and checked
 * (docs/attestation.md); a key it names that cannot be used throws here.
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
      throw new Error(`${construct.node.path} is not inside a SovereignStack: placements are only proven there. Create it under a SovereignStack (constructs/proof).`);
    }
    return found;
  }

  public readonly context: PolicyContext;
  public readonly resolver: LocationResolver;
  /** How fixes name the settings of this stack. */
  public get settingNames(): SettingNames {
    return this.context.names ?? CODE_SETTING_NAMES;
  }
  private readonly suppressions: readonly Suppression[];
  private readonly providerMirror?: string;
  private proof?: PolicyResult;
  /** The constructs of the tree the proof judged, in tree order. */
  private provenTree?: readonly IConstruct[];
  /** The synthesis under way (cdktf's session, one for all stacks of an app's synth), while this stack is synthesized. */
  private session?: object;
  /** The bytes of cdk.tf.json the proof judged. */
  private provenText?: string;
  private parsedConfiguration?: { readonly text: string; readonly config: TerraformJson };
  private annotated = false;
  private readonly reportOptions?: SovereignStackReportProps;
  private readonly terminal: TerminalSink | false;
  private printed = false;
  /** The key DESK_SIGNING_KEY names (constructs/proof/attest.ts), read when the stack is made. */
  private readonly signingKey?: KeyObject;
  /** The report as last written. */
  private written?: SovereigntyReport;
  private signed?: StackAttestation;

  constructor(scope: Construct, id: string, props: SovereignStackProps) {
    super(scope, id);
    Object.defineProperty(this, SOVEREIGN_STACK, { value: true });
    // A key that is set but unusable fails before anything is synthesized.
    this.signingKey = signingKeyFromEnvironment();
    const names = props.settingNames ?? CODE_SETTING_NAMES;
    this.context = {
      jurisdiction: props.jurisdiction,
      operators: props.operators ?? props.jurisdiction,
      profile: props.profile ?? 'sovereign',
      names,
    };
    checkProps(id, props);
    const clusterResolver = new LocationResolver({ declarations: props.locations, names });
    this.resolver = new LocationResolver({
      names,
      declarations: props.locations,
      cluster: clusterResolver.resolve(props.clusterLocation),
      ownDomains: props.ownDomains,
      clusterCidrs: props.clusterCidrs,
    });
    this.suppressions = props.suppressions ?? [];
    this.providerMirror = props.providerMirror;
    new DeclaredPlacement(this, 'Cluster', {
      kind: 'cluster', target: props.clusterLocation, description: 'Kubernetes cluster (nodes and volumes)',
      field: props.clusterLocationField ?? settingName(names, names.clusterLocation, 'new SovereignStack(…, { clusterLocation })'),
      ...(props.clusterSharedBy ? { sharedBy: props.clusterSharedBy } : {}),
    });
    this.node.addValidation({ validate: () => this.annotate() });
    const report = props.report ?? {};
    this.reportOptions = report || undefined;
    // Runs after validations, before cdk.tf.json is written, and also when the app skips validations
    // (App { skipValidation: true }) or error findings fail the synth: the proof cannot be turned off.
    addCustomSynthesis(this, {
      onSynthesize: (session) => {
        this.annotate();
        this.writeReport(session.outdir);
        // Whatever the app does with the annotations (CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS), a failing proof exits non-zero.
        if (hasErrors(this.prove())) this.failExitCode();
      },
    });
    this.terminal = props.terminal ?? PROCESS_TERMINAL;
    // Error annotations do not throw (as under the cdktf CLI, which sets CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS):
    // every file is written, the findings are printed, and an error sets the exit code, also when an app is run
    // directly. cdk.tf.json is the text the proof judged (proven again first if constructs were added since); the
    // last argument is cdktf's own reading of SYNTH_HCL_OUTPUT (TerraformStack's constructor).
    const inner: IStackSynthesizer = new ProvenStackSynthesizer(this, () => {
      this.prove();
      return this.provenText;
    }, process.env.SYNTH_HCL_OUTPUT === 'true' || process.env.SYNTH_HCL_OUTPUT === '1');
    // After cdk.tf.json is written, it is read back and compared with the proven bytes; then the result is printed.
    this.synthesizer = {
      synthesize: (session) => {
        this.session = session;
        try {
          inner.synthesize(session);
          this.checkWritten(session as unknown as SynthesisSession);
          this.attest(session as unknown as SynthesisSession);
          this.printResult(session as unknown as SynthesisSession);
        } finally {
          this.session = undefined;
        }
      },
    };
  }

  /** True when the cdktf CLI runs the app (see runByCdktfCli). */
  private get underCli(): boolean {
    return runByCdktfCli(process.env);
  }

  /**
   * A failing proof exits non-zero. Under the cdktf CLI, the CLI does that from the error annotations in
   * manifest.json; an app exiting non-zero there would make the CLI skip them and repeat the app's output.
   */
  private failExitCode(): void {
    if (!this.underCli) process.exitCode = 1;
  }

  /** Prints the findings, the verdict and the state location once, after the stack's files are written. */
  private printResult(session: SynthesisSession): void {
    if (this.printed) return;
    this.printed = true;
    const annotations = session.manifest.forStack(this).annotations;
    // Errors of other constructs fail the app too, as cdktf would fail it.
    if (tallyAnnotations(annotations).errors > 0) this.failExitCode();
    if (!this.terminal) return;
    const underCli = this.underCli;
    const lines = terminalLines(this.node.id, annotations, this.prove(), { underCli });
    const signing = attestationLine(this.node.id, this.signed);
    if (signing) lines.push({ stream: lines[lines.length - 1].stream, text: signing });
    writeLines(lines, this.terminal, !underCli);
  }

  /** Signs cdk.tf.json and the reports as written and checked, when DESK_SIGNING_KEY names a key. */
  private attest(session: SynthesisSession): void {
    const files = { configuration: session.manifest.forStack(this).synthesizedStackPath, reports: this.written ? reportFiles(this.node.id) : [] };
    const report = this.written ?? buildReport(this.node.id, this.prove());
    this.signed = attestStack(session.outdir, report, this.context, files, this.signingKey);
  }

  private writeReport(outdir: string): void {
    const report = this.reportOptions;
    if (!report) return;
    this.written = writeReports(outdir, this.node.id, this.prove(), {
      specPath: report.specPath ?? 'main.ts', lineOf: report.lineOf, weights: report.weights, components: report.components, fleet: report.fleet,
      capacity: declaredCapacities(this).map((d) => ({ ...d.capacity, owner: d.node.path.split('/').slice(1).join('/') })),
      rules: [
        ...ALL_RULES.map((r) => ({ id: r.id, title: r.title, explanation: r.explanation, objective: r.objective })),
        { id: RULE_FAILED, title: 'A policy rule failed', explanation: 'A rule threw instead of returning a verdict.', objective: 'SOV-7' },
        { id: WRITTEN_RULE, title: 'The written configuration is the proven one', explanation: 'Anything that changes the configuration after the proof is deployed without being proven.', objective: 'SOV-7' },
      ],
    });
  }

  /**
   * Compares cdk.tf.json as written with the bytes the proof judged, and looks
   * for other files Terraform would load from the stack's folder. Anything
   * that differs fails the synth (exit code 1) with a finding naming it.
   */
  private checkWritten(session: SynthesisSession): void {
    const manifest = session.manifest.forStack(this);
    const file = join(session.outdir, manifest.synthesizedStackPath);
    const problems: string[] = [];
    if (!file.endsWith('.json')) {
      problems.push(`the configuration was written as HCL (${basename(file)}); the proof covers the JSON configuration only: remove hclOutput / SYNTH_HCL_OUTPUT`);
    } else if (this.provenText === undefined) {
      problems.push('the configuration was written without being proven');
    } else {
      const written = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      if (written === undefined) problems.push(`${manifest.synthesizedStackPath} was not written`);
      else if (written !== this.provenText) {
        problems.push(`${manifest.synthesizedStackPath} differs from the configuration that was proven: ${firstDifference(this.provenText, written)}`);
      }
    }
    const folder = dirname(file);
    problems.push(...unprovenFiles(existsSync(folder) ? readdirSync(folder) : [], basename(file))
      .map((name) => `${name} in the stack's folder would be loaded by Terraform beside ${basename(file)}, and it was not proven`));
    if (problems.length === 0) return;
    const findings = problems.map((problem) => writtenFinding(problem, this.node.path));
    const proof = this.prove();
    this.proof = { ...proof, findings: [...findings, ...proof.findings] };
    for (const finding of findings) {
      manifest.annotations.push({ constructPath: this.node.path, level: AnnotationMetadataEntryType.ERROR, message: formatFinding(finding, this.context) });
    }
    this.writeReport(session.outdir);
    this.failExitCode();
  }

  /**
   * A stack without a backend gets local state in the project folder, at a
   * path relative to the stack's working folder (cdktf's default writes an
   * absolute path, so output would differ per machine).
   * SD-STATE reports local state: choose a backend, or suppress with a reason.
   */
  public ensureBackendExists(): TerraformBackend {
    const existing = this.node.findAll().find(TerraformBackend.isBackend);
    return existing ?? new LocalBackend(this, { path: projectStatePath(this, `terraform.${this.node.id}.tfstate`) });
  }

  /**
   * The inventory and findings over the finished tree. Computed once, at the
   * first call (synthesis calls it after all aspects).
   */
  public prove(): PolicyResult {
    // Proven again when constructs were added or removed since (an app may call prove() before it is done).
    // The same constructs in the same order are the same tree: a construct's path never changes.
    const tree = this.node.findAll();
    const proven = this.provenTree;
    if (!this.proof || !proven || tree.length !== proven.length || tree.some((c, i) => c !== proven[i])) {
      this.proof = evaluate(this.inventory(), this.context, this.suppressions);
      this.provenTree = tree;
    }
    return this.proof;
  }

  /**
   * Judges a configuration written elsewhere (another checkout's cdk.tf.json)
   * with this stack's bounds, declarations and code: the same inventory and
   * rules as the stack's own proof, with the scan reading `config` instead of
   * this stack's configuration. The pull-request review uses it so that the
   * base's code judges what the head's code wrote.
   */
  public judge(config: TerraformJson): PolicyResult {
    return evaluate(this.inventory(config), this.context, this.suppressions);
  }

  /**
   * The configuration of the stack of this app named `name` (the Cluster
   * stack of a shared cluster): the bytes it was proven on, or its
   * configuration as it would be written. A reason when there is no such
   * SovereignStack in the app.
   */
  private providerConfiguration(name: string): TerraformJson | string {
    const provider = this.node.root.node.tryFindChild(name);
    if (!SovereignStack.isSovereignStack(provider) || provider === this) {
      return `the stack ${name} that provides it is not a proven stack of this app, so nothing in a configuration backs the claim`;
    }
    return provider.ownConfiguration();
  }

  /** This stack's configuration, parsed once per text. */
  private ownConfiguration(): TerraformJson {
    const text = this.provenText ?? stableStringify(this.toTerraform(), { space: 2 });
    if (this.parsedConfiguration?.text !== text) this.parsedConfiguration = { text, config: JSON.parse(text) as TerraformJson };
    return this.parsedConfiguration.config;
  }

  private inventory(given?: TerraformJson): Placement[] {
    const coverage = this.node.findAll().filter(BackupCoverage.isBackupCoverage);
    const place = (spec: PlacementSpec, ownerPath: string, origin: Placement['origin'], address?: string): Placement => {
      const covered = spec.kind === 'volume' && spec.namespace && !spec.backups
        ? coverage.filter((c) => c.covers(spec.namespace as string)).map((c) => c.target)
        : [];
      const backups = [...(spec.backups ?? []), ...covered];
      // A claim about a placement another stack provides is backed, or not, by that stack's configuration.
      const evidence = spec.sharedBy && spec.keys?.evidence?.length ? this.providerConfiguration(spec.sharedBy) : config;
      const unbacked = !spec.keys ? undefined
        : typeof evidence === 'string' ? evidence : custodyUnbacked(spec.keys, evidence);
      return {
        ...spec,
        ...(address ? { address } : {}),
        ownerPath,
        origin,
        resolution: resolvePlacement(spec, this.resolver),
        ...(DATA_STORE_KINDS.includes(spec.kind)
          ? { backupLocations: backups.map((target) => ({ target, resolution: this.resolver.resolve(target) })) }
          : {}),
        ...(spec.keys?.kms ? { kmsResolution: this.resolver.resolve(spec.keys.kms) } : {}),
        ...(unbacked !== undefined ? { custodyUnbacked: unbacked } : {}),
      };
    };
    // The proof judges the exact bytes cdktf writes: serialized as cdktf does, and read back.
    if (!given) this.provenText = stableStringify(this.toTerraform(), { space: 2 });
    // Parsed once per text: a tenant's stack reads the same object for the claims its Cluster's configuration backs.
    const config = given ?? this.ownConfiguration();
    const declared = declaredPlacements(this).flatMap((d) => {
      const spec = { ...d.placement, target: String(resolve(this, d.placement.target)) };
      // A KMS that holds a key is a placement of its own: where it is and who runs it are judged like any other.
      const kms: PlacementSpec[] = spec.keys?.custody === 'customer-kms' && spec.keys.kms
        ? [{ kind: 'endpoint', target: spec.keys.kms, description: `KMS holding the key of ${spec.description}`, ...(spec.namespace ? { namespace: spec.namespace } : {}) }]
        : [];
      return [place(spec, d.node.path, 'declared'), ...kms.map((k) => place(k, d.node.path, 'declared'))];
    });
    // A scanned placement the same as a declared one is judged there: the same kind and target; an endpoint on the
    // host of a declared data placement, placed the same way; an image a construct also declares (tag or digest
    // aside), placed the same way. Only where the same suppressions apply to both owners, so that a suppression
    // scoped to one construct never covers another construct's placement.
    const key = (...parts: string[]) => parts.join('\u0000');
    const known = this.ownersBy(declared, (p) => [key(p.kind, p.target)]);
    const judged = this.ownersBy(declared, (p) => (!SUPPLY_CHAIN_KINDS.includes(p.kind) && !OPAQUE_KINDS.includes(p.kind) && p.kind !== 'state'
      ? [key(hostOf(p.target) ?? p.target, JSON.stringify(p.resolution))] : []));
    const images = this.ownersBy(declared, (p) => (p.kind === 'registry' ? [key(imageName(p.target), JSON.stringify(p.resolution))] : []));
    const issuers = this.ownersBy(declared, (p) => (p.issuer !== undefined ? [p.issuer] : []));
    const scanned = scanTerraform(config, this.node.path)
      .filter((p) => !known.covers(key(p.kind, p.target), p.ownerPath))
      // An issuer named by reference is judged by the placement declared for it.
      .filter((p) => !(p.target.startsWith('clusterissuer:') && issuers.covers(p.target.slice('clusterissuer:'.length), p.ownerPath)))
      .map(({ ownerPath, address, ...spec }) => place(this.fromMirror(spec), ownerPath, 'scan', address))
      .filter((p) => p.kind !== 'endpoint' || p.phoneHome !== undefined || p.insecureTransport !== undefined
        || !judged.covers(key(hostOf(p.target) ?? p.target, JSON.stringify(p.resolution)), p.ownerPath))
      .filter((p) => p.kind !== 'registry' || !images.covers(key(imageName(p.target), JSON.stringify(p.resolution)), p.ownerPath));
    return [...declared, ...scanned, ...this.unpolicedStacks()];
  }

  /**
   * Declared placements' owners by key, and whether one of them stands for a
   * scanned placement of that key: one whose owner the same path-scoped
   * suppressions apply to (then both would get the same findings).
   */
  private ownersBy(declared: readonly Placement[], keys: (p: Placement) => string[]): { covers(key: string, ownerPath: string): boolean } {
    const owners = new Map<string, string[]>();
    for (const p of declared) for (const k of keys(p)) owners.set(k, [...(owners.get(k) ?? []), p.ownerPath]);
    const scoped = this.suppressions.filter((s) => s.path !== undefined);
    const sameSuppressions = (a: string, b: string) => scoped.every((s) => isAtOrBelow(a, s.path as string) === isAtOrBelow(b, s.path as string));
    return { covers: (k, ownerPath) => (owners.get(k) ?? []).some((owner) => sameSuppressions(owner, ownerPath)) };
  }

  /** A provider's source is the provider mirror, when the stack names one. */
  private fromMirror(spec: PlacementSpec): PlacementSpec {
    if (spec.kind !== 'provider-source' || !this.providerMirror) return spec;
    // A network mirror serves each provider under <mirror>/<registry host>/<namespace>/<type>/.
    const path = spec.target.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
    const mirror = this.providerMirror.endsWith('/') ? this.providerMirror : `${this.providerMirror}/`;
    return { ...spec, target: `${mirror}${path}/`, description: `${spec.description}, installed from the provider mirror` };
  }

  /**
   * Every stack of the app that is not a SovereignStack, nested ones too.
   * Listing them walks the whole app, so during a synthesis it is done once
   * for all stacks (cdktf synthesizes the stacks it listed at the start; one
   * added later is not written); outside one, on every call.
   */
  private unpolicedStacks(): Placement[] {
    const session = this.session;
    let stacks = session ? PLAIN_STACKS.get(session) : undefined;
    if (!stacks) {
      stacks = plainStacks(this.node.root);
      if (session) PLAIN_STACKS.set(session, stacks);
    }
    return stacks
      .map((stack) => ({
        kind: 'stack' as const,
        target: `stack:${stack.node.path}`,
        description: `stack ${stack.node.path} of the same app`,
        ownerPath: this.node.path,
        origin: 'declared' as const,
        resolution: unproven(`stack ${stack.node.path} is not a SovereignStack`, 'make it a SovereignStack'),
      }));
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
      this.node.addMetadata(AnnotationMetadataEntryType.WARN, formatUnusedSuppression(suppression, this.context));
    }
    return [];
  }
}
