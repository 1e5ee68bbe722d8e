/**
 * The CronJobV1 written without its 5 MB binding (constructs/platform/cron-job.ts)
 * writes what the binding of @cdktf/provider-kubernetes writes for the same config.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CronJobV1 as BindingCronJobV1, CronJobV1Config } from '@cdktf/provider-kubernetes/lib/cron-job-v1';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { CRON_JOB_MAP_ATTRIBUTES, CronJobV1, blockToTerraform, terraformName } from '../../constructs/platform/cron-job';

type Written = Record<string, unknown>;

/** The resource block each class writes for `config` (its tokens resolved, metadata aside), as in cdk.tf.json. */
function written(config: (stack: TerraformStack) => CronJobV1Config): { thin: Written; binding: Written } {
  const stack = new TerraformStack(Testing.app(), 'test');
  new CronJobV1(stack, 'Thin', config(stack));
  new BindingCronJobV1(stack, 'Binding', config(stack));
  const resources = JSON.parse(JSON.stringify(stack.toTerraform())).resource.kubernetes_cron_job_v1 as Record<string, Written>;
  const without = ({ '//': _metadata, ...block }: Written) => block;
  return { thin: without(resources.Thin), binding: without(resources.Binding) };
}

/** A config with every shape the schema has: blocks, lists of blocks, maps with keys of any spelling, tokens, meta-arguments. */
const rich = (stack: TerraformStack): CronJobV1Config => {
  const namespace = stack.node.tryFindChild('Namespace') as TerraformVariable ?? new TerraformVariable(stack, 'Namespace', { type: 'string' });
  const labels = { 'app.kubernetes.io/name': 'replication', camelCaseLabel: 'kept', UPPER: 'kept' };
  return {
    metadata: { name: 'replicate', namespace: namespace.stringValue, labels, annotations: { 'example.com/someAnnotation': 'a' } },
    spec: {
      schedule: '0 3 * * *',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      suspend: false,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 2,
          template: {
            metadata: { labels },
            spec: {
              restartPolicy: 'OnFailure',
              automountServiceAccountToken: false,
              nodeSelector: { 'kubernetes.io/os': 'linux', someKey: 'v' },
              securityContext: { runAsNonRoot: true, runAsUser: '65532', seccompProfile: { type: 'RuntimeDefault' } },
              container: [{
                name: 'rclone',
                image: 'docker.io/rclone/rclone:1.71.2',
                args: ['sync', 'a', 'b'],
                env: [{ name: 'A', value: namespace.stringValue }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'ACCESS_KEY_ID' } } }],
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', 'ephemeral-storage': '1Gi' } },
                volumeMount: [{ name: 'tmp', mountPath: '/tmp', readOnly: undefined }],
              }],
              volume: [{ name: 'tmp', emptyDir: {} }, { name: 'csi', csi: { driver: 'd', volumeAttributes: { someAttribute: 'x' } } }],
            },
          },
        },
      },
    },
    timeouts: { delete: '2m' },
    lifecycle: { preventDestroy: true },
    dependsOn: [namespace],
  };
};

/** Every `attribute_name: …(struct.attributeName)` pair of the binding's generated converters. */
function bindingNames(): [string, string][] {
  const folder = join(dirname(require.resolve('@cdktf/provider-kubernetes/lib/cron-job-v1')), 'index-structs');
  const text = readdirSync(folder).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(folder, f), 'utf8')).join('\n');
  return [...text.matchAll(/^\s+(\w+): (?!.*Hcl).*\(struct\.(\w+)\),?$/gm)].map((m) => [m[1], m[2]]);
}

describe('CronJobV1 without its binding', () => {
  it('writes what the binding writes for a config with every shape', () => {
    const { thin, binding } = written(rich);
    expect(thin).toEqual(binding);
    expect(Object.keys(thin).sort()).toEqual(['depends_on', 'lifecycle', 'metadata', 'spec', 'timeouts']);
  });

  it('writes what the binding writes for the bucket replication of the default stack', () => {
    const cronJobs = (util: typeof import('../util')) => JSON.parse(JSON.stringify(util.workplace().toTerraform())).resource.kubernetes_cron_job_v1 as Written;
    const thin = cronJobs(jest.requireActual('../util'));
    let binding: Written = {};
    jest.isolateModules(() => {
      jest.doMock('../../constructs/platform/cron-job', () => ({ ...jest.requireActual('../../constructs/platform/cron-job'), CronJobV1: BindingCronJobV1 }));
      binding = cronJobs(jest.requireActual('../util'));
    });
    expect(Object.keys(thin)).toEqual(['Workplace_FilesBucketReplication_CronJob_E57C91C7']);
    expect(thin).toEqual(binding);
  });

  it('spells every attribute of the schema as the binding does', () => {
    const pairs = bindingNames();
    expect(pairs.length).toBeGreaterThan(400);
    expect(pairs.filter(([snake, camel]) => terraformName(camel) !== snake)).toEqual([]);
  });

  it('knows every map attribute of the schema, and no other', () => {
    const folder = join(dirname(require.resolve('@cdktf/provider-kubernetes/lib/cron-job-v1')), 'index-structs');
    const text = readdirSync(folder).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(folder, f), 'utf8')).join('\n');
    const maps = new Set([...text.matchAll(/hashMapper\(cdktf\.\w+\)\(struct\.(\w+)\)/g)].map((m) => m[1]));
    expect([...CRON_JOB_MAP_ATTRIBUTES].sort()).toEqual([...maps].sort());
  });

  it('leaves tokens, scalars and unset attributes as the binding does', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const token = new TerraformVariable(stack, 'V', {}).stringValue;
    expect(blockToTerraform({ someName: token, list: [1, 'a'], unset: undefined, nested: { innerName: null } }, new Set()))
      .toEqual({ some_name: token, list: [1, 'a'], nested: { inner_name: null } });
    expect(blockToTerraform(token, new Set())).toBe(token);
  });
});
