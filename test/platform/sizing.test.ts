/**
 * Sizes and capacity: spec.size changes replicas, requests and limits per
 * component; more than one replica brings a PodDisruptionBudget and a spread
 * over nodes; the report adds up what the cluster must provide.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPONENT_SIZES, SIZES, SIZE_TARGETS, componentSize } from '../../constructs/platform';
import { capacityDelta, capacityOf, mebibytes, millicores, renderCapacity } from '../../constructs/report';
import { releaseValues, resources, synth, workplace } from '../util';

const capacityOfStack = (size: 'small' | 'medium' | 'large') => {
  const out = synth(workplace({ size }));
  const report = JSON.parse(readFileSync(join(out.outdir, 'sovereignty', 'agency-de.json'), 'utf8'));
  return { out, capacity: report.capacity };
};

describe('sizes', () => {
  it('grow with the size for every component: replicas, requests and limits never shrink', () => {
    for (const component of Object.keys(COMPONENT_SIZES) as (keyof typeof COMPONENT_SIZES)[]) {
      const [small, medium, large] = SIZES.map((s) => componentSize(component, s));
      for (const [a, b] of [[small, medium], [medium, large]]) {
        expect(b.replicas).toBeGreaterThanOrEqual(a.replicas);
        expect(millicores(b.requests.cpu)).toBeGreaterThanOrEqual(millicores(a.requests.cpu));
        expect(mebibytes(b.limits.memory)).toBeGreaterThanOrEqual(mebibytes(a.limits.memory));
      }
      for (const s of SIZES) {
        const c = componentSize(component, s);
        expect(millicores(c.limits.cpu)).toBeGreaterThanOrEqual(millicores(c.requests.cpu));
        expect(mebibytes(c.limits.memory)).toBeGreaterThanOrEqual(mebibytes(c.requests.memory));
      }
    }
    expect(SIZE_TARGETS.large.users).toBeGreaterThan(SIZE_TARGETS.medium.users);
  });

  it('gives Collabora about 1 vCPU per 15 concurrent editors of the size (openDesk scaling guide)', () => {
    for (const s of SIZES) expect(millicores(componentSize('collabora', s).limits.cpu) / 1000).toBeGreaterThanOrEqual(SIZE_TARGETS[s].editors / 15);
  });

  it('fails if a size is unknown, naming it and the sizes allowed', () => {
    expect(() => componentSize('nextcloud', 'huge' as never)).toThrow('size "huge" is unknown. Allowed: small, medium, large.');
  });

  it('at small writes what the suite ran before sizes existed, with one replica each and no PodDisruptionBudget', () => {
    const { out } = capacityOfStack('small');
    expect(releaseValues(out.json, 'Files/Nextcloud/Release')).toMatchObject({ replicaCount: 1, resources: { requests: { cpu: '500m', memory: '1Gi' } } });
    expect(releaseValues(out.json, 'Files/Nextcloud/Release').persistence.accessMode).toBeUndefined();
    expect(resources(out.json, 'kubernetes_pod_disruption_budget_v1')).toEqual([]);
  });

  it('at large runs more replicas, spread over nodes, each kept up by a PodDisruptionBudget, and still passes the proof', () => {
    const { out } = capacityOfStack('large');
    expect(out.errors).toEqual([]);
    const nextcloud = releaseValues(out.json, 'Files/Nextcloud/Release');
    expect(nextcloud).toMatchObject({ replicaCount: 3, persistence: { accessMode: 'ReadWriteMany' } });
    expect(nextcloud.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(releaseValues(out.json, 'Identity/Keycloak/Release').replicas).toBe(3);
    const budgets = resources(out.json, 'kubernetes_pod_disruption_budget_v1') as { spec: { max_unavailable: string; selector: { match_labels: Record<string, string> } } }[];
    expect(budgets.map((b) => b.spec.selector.match_labels).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      { 'app.kubernetes.io/component': 'app', 'app.kubernetes.io/name': 'nextcloud' },
      { 'app.kubernetes.io/instance': 'keycloak', 'app.kubernetes.io/name': 'keycloakx' },
    ]);
    expect(budgets.every((b) => b.spec.max_unavailable === '1')).toBe(true);
    expect(releaseValues(out.json, 'FilesDatabase/Chart/Release').cluster.instances).toBe(3);
  });
});

describe('capacity in the report', () => {
  it('adds up every component of the default deployment, per app and in total, with the mail ports', () => {
    const { capacity } = capacityOfStack('small');
    expect(capacity.apps.map((a: { app: string }) => a.app)).toEqual(['chat', 'files', 'identity', 'mail', 'office', 'platform', 'projects', 'video', 'wiki']);
    const total = capacity.apps.reduce((sum: number, a: { cpuRequests: number }) => sum + a.cpuRequests, 0);
    expect(capacity.total.cpuRequests).toBe(total);
    expect(capacity.ports.map((p: { port: number; protocol: string }) => `${p.port}/${p.protocol}`)).toEqual(['25/TCP', '465/TCP', '587/TCP', '993/TCP', '3478/UDP', '10000/UDP']);
    expect(capacity.total.perNode.cpuRequests).toBeGreaterThan(0);
  });

  it('shows a reviewer what a change of size adds: more CPU, memory and volume', () => {
    const small = capacityOfStack('small').capacity;
    const large = capacityOfStack('large').capacity;
    expect(capacityDelta(small, large)).toMatch(/^\+[\d.]+ vCPU requests, \+[\d.]+ GiB memory requests, \+[\d.]+ vCPU limits, \+[\d.]+ GiB memory limits, \+\d+ GiB volumes$/);
    expect(capacityDelta(large, small)).toMatch(/^−[\d.]+ vCPU requests/);
    expect(capacityDelta(small, small)).toBe('no change');
  });
});

describe('every workload of the suite declares its capacity', () => {
  it('declares a capacity for every chart release of the default deployment that runs pods', () => {
    const out = synth(workplace());
    const declaredIn = new Set(capacityOfStack('small').capacity.components.map((c: { owner: string }) => c.owner.split('/').slice(0, 2).join('/')));
    const releases = resources(out.json, 'helm_release') as { '//': { metadata: { path: string } } }[];
    const owners = releases.map((r) => r['//'].metadata.path.split('/').slice(1, 3).join('/'));
    // A release without a capacity declaration would be missing from the report's totals.
    expect(owners.filter((o) => !declaredIn.has(o))).toEqual([]);
  });
});

describe('capacity arithmetic', () => {
  it.each([['500m', 500], ['2', 2000], ['0.25', 250], ['1.5', 1500]])('%s is %i millicores', (q, m) => expect(millicores(q)).toBe(m));
  it.each([['512Mi', 512], ['2Gi', 2048], ['1536Mi', 1536], ['1Ti', 1048576]])('%s is %i MiB', (q, m) => expect(mebibytes(q)).toBe(m));
  it.each(['', '1 core', '-1', '500M'])('fails if %j is given as CPU', (q) => expect(() => millicores(q)).toThrow(/is not a CPU quantity/));
  it.each(['', '2GB', '512'])('fails if %j is given as memory', (q) => expect(() => mebibytes(q)).toThrow(/is not a memory quantity/));

  it('counts replicas, takes a missing limit as the request, and keeps DaemonSets per node', () => {
    const c = capacityOf([
      { app: 'a', component: 'x', owner: 'X', replicas: 2, requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1' }, volumeGiB: 5 },
      { app: 'b', component: 'y', owner: 'Y', replicas: 'per-node', requests: { cpu: '100m', memory: '64Mi' } },
    ]);
    expect(c.total).toEqual({ cpuRequests: 1000, cpuLimits: 2000, memoryRequests: 2048, memoryLimits: 2048, volumeGiB: 10, perNode: { cpuRequests: 100, memoryRequests: 64 } });
    expect(renderCapacity(c).join('\n')).toContain('Besides, on every node: 0.1 vCPU and 64 MiB requested by DaemonSets.');
  });

  it('says so when nothing declares its capacity (not applicable: a team stack without the kit\'s workloads)', () => {
    expect(renderCapacity(capacityOf([]))).toEqual(['## Capacity', '', 'No component declares its capacity.', '']);
  });
});

describe('a volume the replicas share', () => {
  it('counts once, however many replicas mount it', () => {
    const c = capacityOf([{ app: 'a', component: 'x', owner: 'X', replicas: 3, requests: { cpu: '1', memory: '1Gi' }, sharedVolumeGiB: 10, volumeGiB: 2 }]);
    expect(c.total.volumeGiB).toBe(16);
  });

  it('keeps Nextcloud\'s one volume at its size at every size of the suite', () => {
    const volumes = (size: 'small' | 'large') => capacityOfStack(size).capacity.components
      .filter((c: { component: string }) => c.component === 'Nextcloud').map((c: { sharedVolumeGiB?: number; volumeGiB?: number }) => [c.sharedVolumeGiB, c.volumeGiB]);
    expect(volumes('small')).toEqual([[10, undefined]]);
    expect(volumes('large')).toEqual([[10, undefined]]);
  });
});
