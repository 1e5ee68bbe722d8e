import { custodyUnbacked } from '../../constructs/policy/custody-backing';
import { KeyCustodySpec } from '../../constructs/policy/key-custody';
import { TerraformJson } from '../../constructs/policy/scan';

const CLAIM: KeyCustodySpec = {
  custody: 'client-side', readable: 'ciphertext only',
  evidence: [{ kind: 'env', resource: 'replicate-files', variable: 'RCLONE_CONFIG_BACKUP_TYPE', equals: 'crypt' }, { kind: 'args', resource: 'replicate-files', equals: ['sync', 'backup:'] }],
};

/** A workload of that name whose one container has these variables and arguments. */
function workload(namespace: string, env: Record<string, string>, args: string[]) {
  return {
    metadata: { name: 'replicate-files', namespace },
    spec: { job_template: { spec: { template: { spec: { container: [{ name: 'rclone', args, env: Object.entries(env).map(([name, value]) => ({ name, value })) }] } } } } },
  };
}

const CRYPT = { RCLONE_CONFIG_BACKUP_TYPE: 'crypt' };

describe('custodyUnbacked: env and args evidence', () => {
  it('backs the claim when the workload of that name sets the variable and takes the arguments (compliant)', () => {
    const config: TerraformJson = { resource: { kubernetes_cron_job_v1: { copy: workload('files', CRYPT, ['sync', 'backup:']) } } };
    expect(custodyUnbacked(CLAIM, config)).toBeUndefined();
  });

  it('ignores a resource of the same name that runs no containers (not applicable: a ServiceAccount)', () => {
    const config: TerraformJson = { resource: {
      kubernetes_cron_job_v1: { copy: workload('files', CRYPT, ['sync', 'backup:']) },
      kubernetes_service_account_v1: { account: { metadata: { name: 'replicate-files', namespace: 'files' } } },
    } };
    expect(custodyUnbacked(CLAIM, config)).toBeUndefined();
  });

  it('fails if another workload of the same name (an older type, sorted first) carries the settings while the one that copies does not', () => {
    const config: TerraformJson = { resource: {
      kubernetes_cron_job: { decoy: workload('team', CRYPT, ['sync', 'backup:']) },
      kubernetes_cron_job_v1: { copy: workload('files', {}, ['sync', 'target:b/objects/files']) },
    } };
    expect(custodyUnbacked(CLAIM, config)).toBe('no container of kubernetes_cron_job_v1.copy sets RCLONE_CONFIG_BACKUP_TYPE');
  });

  it('fails if no resource of that name runs containers, naming it', () => {
    const config: TerraformJson = { resource: { kubernetes_config_map_v1: { c: { metadata: { name: 'replicate-files' }, data: { env: 'x' } } } } };
    expect(custodyUnbacked(CLAIM, config)).toBe('there is no Kubernetes resource replicate-files that runs containers');
  });
});

describe('custodyUnbacked: values evidence', () => {
  const claim: KeyCustodySpec = { custody: 'customer-kms', readable: 'ciphertext', kms: 'https://kms.team.example', evidence: [{ kind: 'values', release: 'store', path: 'sse.kms', equals: 'on' }] };
  const release = (namespace: string, values: string) => ({ name: 'store', namespace, chart: 'store', values: [values] });

  it('backs the claim when the release sets the path (compliant)', () => {
    expect(custodyUnbacked(claim, { resource: { helm_release: { a: release('team', 'sse:\n  kms: "on"\n') } } })).toBeUndefined();
  });

  it('fails if another release of the same name in another namespace sets the path while the one named first does not', () => {
    const config: TerraformJson = { resource: { helm_release: { a: release('other', 'sse:\n  kms: "on"\n'), b: release('team', 'sse:\n  kms: "off"\n') } } };
    expect(custodyUnbacked(claim, config)).toBe('sse.kms of helm_release.b is "off", not "on"');
  });
});
