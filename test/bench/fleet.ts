/**
 * The apps `npm run bench` times in a child process of their own
 * (fleet-child.ts): a fleet of N tenants on shared clusters, N copies of the
 * default spec, and a bare cdktf app of N stacks holding the same resources.
 */
import { readFileSync } from 'node:fs';
import { App, TerraformBackend, TerraformOutput, TerraformProvider, TerraformRemoteState, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { loadDeployment } from '../../stacks/load-deployment';
import { recordTokenCreationStacks } from '../../stacks/token-traces';
import { WorkplaceStack } from '../../stacks/workplace-stack';
import { addFleet } from '../../stacks/fleet-app';
import { generatedFleet } from './generated-fleet';

/**
 * N copies of the default spec as WorkplaceStacks, told apart only by
 * metadata.name (`<name>-001` …): the same resources in every stack, so that
 * a bare cdktf app can hold exactly them (the project / bare ratio).
 */
export function defaultCopies(app: App, n: number, options: { report?: boolean } = {}): WorkplaceStack[] {
  const { deployment, source } = loadDeployment();
  return Array.from({ length: n }, (_, i) => {
    const name = `${deployment.metadata.name}-${String(i + 1).padStart(3, '0')}`;
    return new WorkplaceStack(app, name, {
      deployment: { ...deployment, metadata: { ...deployment.metadata, name } },
      source,
      report: options.report ?? true,
      terminal: false,
    });
  });
}

/** A resource of any type with attributes as written in a cdk.tf.json. */
class BareResource extends TerraformResource {
  constructor(scope: Construct, id: string, type: string, private readonly attributes: Record<string, unknown>) {
    super(scope, id, { terraformResourceType: type });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return this.attributes;
  }
}

/** A provider of any type with its configuration as written in a cdk.tf.json. */
class BareProvider extends TerraformProvider {
  constructor(scope: Construct, id: string, type: string, source: string, version: string, private readonly attributes: Record<string, unknown>) {
    super(scope, id, { terraformResourceType: type, terraformProviderSource: source, terraformGeneratorMetadata: { providerName: type, providerVersion: version } });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return this.attributes;
  }
}

/** A backend of any type with its configuration as written in a cdk.tf.json. */
class BareBackend extends TerraformBackend {
  constructor(scope: Construct, type: string, private readonly attributes: Record<string, unknown>) {
    super(scope, 'backend', type);
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return this.attributes;
  }

  public getRemoteStateDataSource(): TerraformRemoteState {
    throw new Error('the bare bench app reads no remote state');
  }
}

interface TemplateJson {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider: Record<string, Record<string, unknown>[]>;
  readonly output?: Record<string, { value: unknown }>;
  readonly terraform: { backend: Record<string, Record<string, unknown>>; required_providers: Record<string, { source: string; version: string }> };
}

/**
 * The bare cdktf app: N plain TerraformStacks, each holding every resource,
 * provider, output and the backend of `template` (one tenant's cdk.tf.json)
 * as generic cdktf elements with the same attributes. No proof, no report,
 * no constructs above the resources.
 */
export function bareFleet(app: App, n: number, template: TemplateJson): TerraformStack[] {
  return Array.from({ length: n }, (_, i) => {
    const stack = new TerraformStack(app, `bare-${String(i + 1).padStart(3, '0')}`);
    for (const [type, configs] of Object.entries(template.provider)) {
      const { source, version } = template.terraform.required_providers[type];
      configs.forEach((config, index) => new BareProvider(stack, `${type}${index}`, type, source, version, config));
    }
    for (const [type, config] of Object.entries(template.terraform.backend)) new BareBackend(stack, type, config);
    for (const [type, resources] of Object.entries(template.resource)) {
      for (const [name, { '//': _metadata, ...attributes }] of Object.entries(resources)) new BareResource(stack, name, type, attributes);
    }
    for (const [name, { value }] of Object.entries(template.output ?? {})) new TerraformOutput(stack, name, { value });
    return stack;
  });
}

/** What one run of a fleet took, in seconds: from the start of the process to the app, building the constructs, app.synth(). */
export interface FleetTimes { readonly load: number; readonly build: number; readonly synth: number }

/** Tenants per shared cluster in the fleet bench: 342 tenants on 10 clusters, as a municipal IT cooperative runs them. */
export const TENANTS_PER_CLUSTER = 34.2;

/**
 * Builds and synthesizes a fleet: `fleet <n> <outdir>` (N tenants on shared
 * clusters, test/bench/generated-fleet.ts), `project <n> <outdir>` (N copies of
 * the default) or `bare <n> <outdir> <template cdk.tf.json>`.
 * @throws Error with the usage on other arguments
 */
export function runFleet([kind, count, outdir, template]: readonly string[]): FleetTimes {
  const loaded = performance.now();
  const n = Number(count);
  if (!['fleet', 'project', 'bare'].includes(kind) || !Number.isInteger(n) || n < 1 || !outdir || (kind === 'bare' && !template)) {
    throw new Error(`usage: fleet-child.js fleet|project <n> <outdir> | fleet-child.js bare <n> <outdir> <template cdk.tf.json> (got ${JSON.stringify([kind, count, outdir, template])})`);
  }
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
  const app = new App({ outdir });
  // As the app command runs.
  if (kind !== 'bare') recordTokenCreationStacks(Boolean(process.env.DESK_DEBUG));
  if (kind === 'fleet') {
    addFleet(app, generatedFleet(n, Math.max(1, Math.round(n / TENANTS_PER_CLUSTER))), { report: process.env.DESK_REPORT !== 'off', terminal: false });
  } else if (kind === 'project') {
    defaultCopies(app, n, { report: process.env.DESK_REPORT !== 'off' });
  } else bareFleet(app, n, JSON.parse(readFileSync(template, 'utf8')) as TemplateJson);
  const built = performance.now();
  app.synth();
  const done = performance.now();
  return { load: loaded / 1000, build: (built - loaded) / 1000, synth: (done - built) / 1000 };
}
