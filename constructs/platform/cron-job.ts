/**
 * A `kubernetes_cron_job_v1` resource without its generated binding, which
 * is 5 MB of JavaScript and costs more to load than all other bindings of the
 * suite together. The config is the binding's own type (a type-only import:
 * checked by the compiler, never loaded); the attributes are written as the
 * binding writes them. test/platform/cron-job.test.ts compares both.
 *
 * One difference: an attribute the schema does not have (which the compiler
 * refuses in an object literal) is written, and Terraform refuses it at plan,
 * where the binding would leave it out without a word.
 */
import type { CronJobV1Config } from '@cdktf/provider-kubernetes/lib/cron-job-v1';
import { TerraformResource, Tokenization } from 'cdktf';
import { Construct } from 'constructs';

/**
 * The attributes of kubernetes_cron_job_v1 that are maps: their keys are
 * data (label names, resource names), written as given, not attribute names.
 */
export const CRON_JOB_MAP_ATTRIBUTES: ReadonlySet<string> = new Set([
  'annotations', 'labels', 'limits', 'matchLabels', 'nodeSelector', 'options', 'requests', 'volumeAttributes',
]);

/** An attribute name as Terraform spells it: `runAsUser` → `run_as_user`. */
export function terraformName(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Tokenization.isResolvable(value);

/**
 * A config value as the generated bindings write it: blocks' keys in
 * Terraform's spelling, maps' keys as they are, tokens and scalars unchanged,
 * unset attributes left out.
 */
export function blockToTerraform(value: unknown, maps: ReadonlySet<string>): unknown {
  if (value === null || typeof value !== 'object' || Tokenization.isResolvable(value)) return value;
  if (Array.isArray(value)) return value.map((element) => blockToTerraform(element, maps));
  const attributes: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(value)) {
    if (attribute === undefined) continue;
    attributes[terraformName(name)] = maps.has(name) && isMap(attribute) ? { ...attribute } : blockToTerraform(attribute, maps);
  }
  return attributes;
}

/**
 * kubernetes_cron_job_v1, written as `@cdktf/provider-kubernetes` writes it,
 * with the same config.
 *
 * @example
 * new CronJobV1(this, 'CronJob', { metadata: { name: 'replicate', namespace: 'files' }, spec: { schedule: '0 3 * * *', jobTemplate } });
 */
export class CronJobV1 extends TerraformResource {
  public static readonly tfResourceType = 'kubernetes_cron_job_v1';

  private readonly config: CronJobV1Config;

  constructor(scope: Construct, id: string, config: CronJobV1Config) {
    super(scope, id, {
      terraformResourceType: CronJobV1.tfResourceType,
      // As the binding of @cdktf/provider-kubernetes 12.1.1 says.
      terraformGeneratorMetadata: { providerName: 'kubernetes', providerVersion: '2.38.0', providerVersionConstraint: '~> 2.0' },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach,
    });
    this.config = config;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return {
      id: this.config.id,
      metadata: blockToTerraform(this.config.metadata, CRON_JOB_MAP_ATTRIBUTES),
      spec: blockToTerraform(this.config.spec, CRON_JOB_MAP_ATTRIBUTES),
      timeouts: blockToTerraform(this.config.timeouts, CRON_JOB_MAP_ATTRIBUTES),
    };
  }
}
