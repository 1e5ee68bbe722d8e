/**
 * A fleet from one folder: the loader (folder, list, duplicates, mixed kinds,
 * a bad file among good ones), the composed proof of a tenant on a shared
 * cluster, tenant isolation, and the deploy order in the manifest.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { parse, stringify } from 'yaml';
import { Fleet, SpecError, patternsOverlap, readDeployment } from '../../constructs/deployment';
import { PostgresCluster } from '../../constructs/platform';
import { BackupCoverage } from '../../constructs/proof';
import { tenantLayout } from '../../constructs/suite';
import { FleetStacks, addFleet } from '../../stacks/fleet-app';
import { loadFleet } from '../../stacks/load-deployment';
import { WorkplaceStack } from '../../stacks/workplace-stack';
import '../util';

const EXAMPLES = resolve(__dirname, '..', '..', 'deployments');
/** The shared cluster and one tenant: enough for most synth tests, and quicker than the whole folder. */
const TWO = ['shared-de.yaml', 'agency-de.yaml'];

type Doc = { metadata: { name: string }; spec: Record<string, any> };

/** A copy of the example folder (or of the files named in `only`), with each file changed by `edit` (by file name), in a new folder. */
function fleetFolder(edit: Record<string, (doc: Doc) => Doc | string | undefined> = {}, only?: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'desk-fleet-'));
  for (const name of readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml') && (!only || only.includes(f)))) {
    const change = edit[name];
    if (!change) {
      copyFileSync(join(EXAMPLES, name), join(dir, name));
      continue;
    }
    const result = change(parse(readFileSync(join(EXAMPLES, name), 'utf8')) as Doc);
    if (result !== undefined) writeFileSync(join(dir, name), typeof result === 'string' ? result : stringify(result));
  }
  return dir;
}

/** Loads a folder as DESK_DEPLOYMENT would name it. */
function load(dir: string): Fleet {
  return loadFleet(dir);
}

interface SynthesizedFleet {
  readonly stacks: FleetStacks;
  readonly outdir: string;
  readonly manifest: { stacks: Record<string, { dependencies: string[]; annotations: { level: string; message: string; constructPath: string }[]; synthesizedStackPath: string }> };
  json(stack: string): any;
  errors(stack: string): string[];
}

/** Synthesizes a fleet in one App, as main.ts does. */
function synthFleet(fleet: Fleet): SynthesizedFleet {
  const outdir = mkdtempSync(join(tmpdir(), 'desk-fleet-out-'));
  const app = new App({ outdir });
  const stacks = addFleet(app, fleet, { terminal: false });
  app.synth();
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  return {
    stacks, outdir, manifest,
    json: (stack) => JSON.parse(readFileSync(join(outdir, manifest.stacks[stack].synthesizedStackPath), 'utf8')),
    errors: (stack) => manifest.stacks[stack].annotations.filter((a: { level: string }) => a.level === '@cdktf/error').map((a: { message: string }) => a.message),
  };
}

describe('the fleet loader', () => {
  it('reads a folder: one Cluster hosting two Workplaces, and a Workplace with a cluster of its own', () => {
    const fleet = load(EXAMPLES);
    expect(fleet.errors).toEqual([]);
    expect(fleet.clusters.map((c) => [c.cluster.metadata.name, c.tenants])).toEqual([['shared-de', ['agency-de', 'eu-body']]]);
    expect(fleet.workplaces.map((w) => [w.deployment.metadata.name, w.cluster?.cluster.metadata.name])).toEqual([
      ['agency-at', undefined], ['agency-de', 'shared-de'], ['eu-body', 'shared-de'],
    ]);
  });

  it('reads a list of files separated by commas or colons, in the order given', () => {
    const files = ['shared-de.yaml', 'eu-body.yaml'].map((f) => join(EXAMPLES, f));
    for (const separator of [',', ':']) {
      const fleet = loadFleet(files.join(separator));
      expect(fleet.errors).toEqual([]);
      expect(fleet.workplaces.map((w) => w.deployment.metadata.name)).toEqual(['eu-body']);
      expect(fleet.clusters[0].tenants).toEqual(['eu-body']);
    }
  });

  it('completes a tenant with its Cluster\'s location, connection, ingress, issuer, mirror and declarations', () => {
    const tenant = load(EXAMPLES).workplaces.find((w) => w.deployment.metadata.name === 'agency-de');
    const spec = tenant?.deployment.spec;
    expect(spec?.cluster).toMatchObject({ location: 'stackit/eu01', apiServer: 'https://api.shared-de.it-service.example:6443', cni: 'cilium' });
    expect(spec?.ingress).toEqual({ className: 'traefik', namespace: 'traefik', install: false });
    expect(spec?.tls.acme).toBe('https://acme.it-service.example/directory');
    expect(spec?.registry?.mirror).toBe('registry.it-service.example/desk');
    expect(Object.keys(spec?.locations ?? {}).sort()).toEqual(['*.agency-de.example', '*.it-service.example']);
    expect(spec?.logging).toBeUndefined();
  });

  it('fails if two documents name the same stack: one error lists both files, and neither becomes a stack', () => {
    const dir = fleetFolder({ 'eu-body.yaml': (doc) => ({ ...doc, metadata: { name: 'agency-de' } }) });
    const fleet = load(dir);
    expect(fleet.errors).toHaveLength(1);
    expect(fleet.errors[0].message).toMatch(/metadata\.name: names 2 stacks, in .*agency-de\.yaml, .*eu-body\.yaml/);
    expect(fleet.workplaces.map((w) => w.deployment.metadata.name)).toEqual(['agency-at']);
    expect(fleet.clusters[0].tenants).toEqual([]);
  });

  it('fails if a Cluster and a Workplace share a name, and the tenants of that name are refused too', () => {
    const dir = fleetFolder({ 'agency-at.yaml': (doc) => ({ ...doc, metadata: { name: 'shared-de' } }) });
    const fleet = load(dir);
    const messages = fleet.errors.map((e) => e.message).join('\n');
    expect(messages).toMatch(/names 2 stacks/);
    expect(messages).toMatch(/spec\.cluster\.ref: "shared-de" names more than one document/);
    expect(fleet.workplaces).toEqual([]);
    expect(fleet.clusters).toEqual([]);
  });

  it('fails if one file is malformed, naming it, and keeps the others', () => {
    const dir = fleetFolder({ 'agency-at.yaml': (doc) => ({ ...doc, spec: { ...doc.spec, jurisdiction: 'Austria', domain: 'x' } }) });
    const fleet = load(dir);
    expect(fleet.errors).toHaveLength(1);
    expect(fleet.errors[0].source).toMatch(/agency-at\.yaml$/);
    expect(fleet.errors[0].problems.map((p) => p.path)).toEqual(expect.arrayContaining(['spec.jurisdiction', 'spec.domain']));
    expect(fleet.workplaces.map((w) => w.deployment.metadata.name)).toEqual(['agency-de', 'eu-body']);
  });

  it('fails if a file is not YAML, naming the file and the line, and keeps the others', () => {
    const dir = fleetFolder({ 'agency-at.yaml': () => 'spec: [unclosed\n' });
    const fleet = load(dir);
    expect(fleet.errors).toHaveLength(1);
    expect(fleet.errors[0].message).toMatch(/agency-at\.yaml.*\n.*line 2/);
    expect(fleet.workplaces).toHaveLength(2);
  });

  it('fails if a document is of an unknown kind, suggesting the closest', () => {
    const dir = fleetFolder({ 'shared-de.yaml': (doc) => ({ ...doc, kind: 'Clustr' }) as Doc });
    const fleet = load(dir);
    const messages = fleet.errors.map((e) => e.message).join('\n');
    expect(messages).toMatch(/kind: is not a kind of document sovereign-desk reads[\s\S]*allowed: Workplace or Cluster[\s\S]*did you mean "Cluster"/);
    // Its tenants cannot be placed on it.
    expect(messages).toMatch(/eu-body\.yaml[\s\S]*spec\.cluster\.ref: no Cluster of the fleet is named "shared-de"/);
  });

  it('fails if a tenant names a Cluster the fleet does not have, listing the ones it has', () => {
    const dir = fleetFolder({ 'agency-de.yaml': (doc) => ({ ...doc, spec: { ...doc.spec, cluster: { ref: 'shared-fr' } } }) });
    const [error] = load(dir).errors;
    expect(error.problems[0]).toMatchObject({ path: 'spec.cluster.ref', value: 'shared-fr' });
    expect(error.problems[0].allowed).toContain('shared-de');
  });

  it('fails if a tenant names a Workplace as its cluster', () => {
    const dir = fleetFolder({ 'agency-de.yaml': (doc) => ({ ...doc, spec: { ...doc.spec, cluster: { ref: 'agency-at' } } }) });
    expect(load(dir).errors[0].message).toMatch(/"agency-at" is a Workplace .*agency-at\.yaml.*, not a Cluster/);
  });

  it.each([
    ['logging', { endpoint: 'https://logs.agency-de.example' }],
    ['monitoring', { endpoint: 'https://metrics.agency-de.example/api/v1/write' }],
    ['tls', { acme: 'https://acme.agency-de.example/directory' }],
    ['registry', { mirror: 'registry.agency-de.example' }],
    ['ingress', { className: 'nginx' }],
  ])('fails if a tenant sets the cluster-wide spec.%s, naming the Cluster\'s field too', (field, value) => {
    const dir = fleetFolder({ 'agency-de.yaml': (doc) => ({ ...doc, spec: { ...doc.spec, [field]: value } }) });
    const [error] = load(dir).errors;
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].path).toBe(`spec.${field}`);
    expect(error.problems[0].message).toContain(`provides it as spec.${field}`);
    expect(error.problems[0].fix).toContain(`set spec.${field} in the Cluster "shared-de"`);
  });

  it('fails if a tenant describes its cluster beside the ref', () => {
    const dir = fleetFolder({ 'agency-de.yaml': (doc) => ({ ...doc, spec: { ...doc.spec, cluster: { ref: 'shared-de', location: 'hetzner/fsn1' } } }) });
    const [error] = load(dir).errors;
    expect(error.problems.map((p) => p.path)).toEqual(['spec.cluster.location']);
  });

  it('fails if a tenant declares a host of its Cluster elsewhere', () => {
    const dir = fleetFolder({
      'agency-de.yaml': (doc) => ({ ...doc, spec: { ...doc.spec, locations: { ...doc.spec.locations, 'logs.it-service.example': { country: 'FR', operator: 'FR' } } } }),
    });
    const [error] = load(dir).errors;
    expect(error.problems[0].path).toBe('spec.locations.logs.it-service.example');
    expect(error.problems[0].message).toMatch(/contradicts the Cluster "shared-de"/);
  });

  it('fails if a tenant would share its Cluster\'s Terraform state (and so destroy what the Cluster deployed)', () => {
    const dir = fleetFolder({ 'agency-de.yaml': (doc) => ({ ...doc, spec: { ...doc.spec, state: { backend: 'kubernetes', secretSuffix: 'shared-de' } } }) });
    const fleet = load(dir);
    expect(fleet.errors.map((e) => e.message).join('\n')).toMatch(/spec\.state: is the same Terraform state for 2 stacks: shared-de \(.*shared-de\.yaml\), agency-de \(.*agency-de\.yaml\)/);
    expect(fleet.clusters).toEqual([]);
    expect(fleet.workplaces.map((w) => w.deployment.metadata.name)).toEqual(['agency-at']);
  });

  it('fails if two Workplaces would share a local state file', () => {
    const local = (doc: Doc) => ({ ...doc, spec: { ...doc.spec, state: { backend: 'local', path: 'desk.tfstate' } } });
    const fleet = load(fleetFolder({ 'agency-at.yaml': local, 'agency-de.yaml': local }));
    expect(fleet.errors.map((e) => e.message).join('\n')).toMatch(/same Terraform state for 2 stacks: agency-at .*, agency-de /);
  });

  it('fails if a tenant spec is read on its own, saying to read it with its Cluster', () => {
    expect(() => readDeployment(join(EXAMPLES, 'agency-de.yaml'))).toThrow(/names the shared cluster "shared-de"[\s\S]*DESK_DEPLOYMENT=deployments/);
    expect(() => readDeployment(join(EXAMPLES, 'shared-de.yaml'))).toThrow(/kind: is a Cluster, not a Workplace/);
  });

  it('fails if the folder holds no spec file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-empty-'));
    writeFileSync(join(dir, 'README.md'), '# nothing\n');
    expect(() => loadFleet(dir)).toThrow(SpecError);
    expect(() => loadFleet(dir)).toThrow(/names a folder with no spec file in it/);
  });

  it('fails if a list names a file twice', () => {
    const file = join(EXAMPLES, 'agency-at.yaml');
    expect(() => loadFleet(`${file},${file}`)).toThrow(/more than once/);
  });

  it('tells which patterns overlap', () => {
    expect(patternsOverlap('*.a.example', 'logs.a.example')).toBe(true);
    expect(patternsOverlap('logs.a.example', '*.a.example')).toBe(true);
    expect(patternsOverlap('*.a.example', '*.x.a.example')).toBe(true);
    expect(patternsOverlap('*.a.example', '*.b.example')).toBe(false);
    expect(patternsOverlap('192.0.2.0/24', '192.0.2.8/29')).toBe(true);
    expect(patternsOverlap('192.0.2.0/24', '198.51.100.0/24')).toBe(false);
    expect(patternsOverlap('192.0.2.0/24', 'a.example')).toBe(false);
  });
});

describe('the example fleet, synthesized', () => {
  let fleet: SynthesizedFleet;
  beforeAll(() => {
    fleet = synthFleet(load(EXAMPLES));
  });

  it('passes: every stack proves 0 errors', () => {
    for (const stack of [...fleet.stacks.clusters.values(), ...fleet.stacks.workplaces.values()]) {
      expect([stack.node.id, stack.prove().findings.filter((f) => f.severity === 'error').map((f) => f.ruleId)]).toEqual([stack.node.id, []]);
    }
  });

  it('deploys a shared cluster before the Workplaces on it (manifest dependencies)', () => {
    expect(fleet.manifest.stacks['agency-de'].dependencies).toEqual(['shared-de']);
    expect(fleet.manifest.stacks['eu-body'].dependencies).toEqual(['shared-de']);
    expect(fleet.manifest.stacks['agency-at'].dependencies).toEqual([]);
    expect(fleet.manifest.stacks['shared-de'].dependencies).toEqual([]);
  });

  it('gives every stack a state of its own, each proven', () => {
    const suffixes = Object.keys(fleet.manifest.stacks).map((name) => fleet.json(name).terraform.backend.kubernetes.secret_suffix);
    expect(suffixes.sort()).toEqual(['agency-at', 'agency-de', 'eu-body', 'shared-de']);
    for (const stack of fleet.stacks.workplaces.values()) {
      expect(stack.prove().placements.filter((p) => p.kind === 'state')).toHaveLength(1);
    }
  });

  it('installs the operators once, on the shared cluster, and not in its tenants', () => {
    const charts = (name: string) => Object.values(fleet.json(name).resource.helm_release ?? {}).map((r: any) => r.chart).sort();
    expect(charts('shared-de')).toEqual(expect.arrayContaining(['cert-manager', 'cloudnative-pg', 'fluent-bit', 'prometheus', 'traefik', 'velero']));
    for (const tenant of ['agency-de', 'eu-body']) {
      expect(charts(tenant)).not.toEqual(expect.arrayContaining(['cloudnative-pg']));
      for (const chart of ['cert-manager', 'cloudnative-pg', 'fluent-bit', 'prometheus', 'traefik', 'velero']) expect(charts(tenant)).not.toContain(chart);
    }
    expect(charts('agency-at')).toEqual(expect.arrayContaining(['cert-manager', 'cloudnative-pg', 'fluent-bit', 'velero']));
  });

  it('backs up every tenant\'s volumes with the Cluster\'s Velero, and the tenant\'s volumes are covered by it', () => {
    const velero = Object.values(fleet.json('shared-de').resource.helm_release).find((r: any) => r.chart === 'velero') as { values: string[] };
    const template = (parse(velero.values[0]) as any).schedules.volumes.template;
    // Every namespace but Kubernetes' own: also the Workplaces a synth of some of the fleet's files does not read.
    expect(template.includedNamespaces).toEqual(['*']);
    expect(template.excludedNamespaces).toEqual(['kube-node-lease', 'kube-public', 'kube-system']);
    const tenant = fleet.stacks.workplaces.get('agency-de');
    const volumes = tenant?.prove().placements.filter((p) => p.kind === 'volume') ?? [];
    expect(volumes.length).toBeGreaterThan(0);
    for (const volume of volumes) expect(volume.backupLocations?.map((b) => b.target)).toContain('https://fsn1.your-objectstorage.com');
  });

  it('declares in each tenant the Cluster\'s sinks that carry its data, as the Cluster declares them', () => {
    const sinks = (stack: { prove(): { placements: readonly { kind: string; target: string; ownerPath: string }[] } } | undefined) =>
      (stack?.prove().placements ?? []).filter((p) => ['log-sink', 'metrics-sink', 'backup'].includes(p.kind) && !p.ownerPath.includes('Database') && !p.ownerPath.includes('Bucket'))
        .map((p) => `${p.kind} ${p.target}`).sort();
    const cluster = sinks(fleet.stacks.clusters.get('shared-de'));
    expect(cluster).toEqual([
      'backup https://fsn1.your-objectstorage.com', 'log-sink https://logs.it-service.example/loki/api/v1/push', 'metrics-sink https://metrics.it-service.example/api/v1/write',
    ]);
    expect(sinks(fleet.stacks.workplaces.get('agency-de'))).toEqual(cluster);
  });

  it('knows each tenant\'s databases as the tenant builds them', () => {
    const byNamespace = (a: { namespace: string }, b: { namespace: string }) => a.namespace.localeCompare(b.namespace);
    for (const workplace of load(EXAMPLES).workplaces) {
      const stack = fleet.stacks.workplaces.get(workplace.deployment.metadata.name);
      const built = (stack?.node.findAll() ?? []).filter((c): c is PostgresCluster => c instanceof PostgresCluster)
        .map((db) => ({ namespace: db.namespace.name, podLabels: db.podLabels }));
      expect(built.length).toBeGreaterThan(0);
      expect([...tenantLayout(workplace.deployment).databases].sort(byNamespace)).toEqual(built.sort(byNamespace));
    }
  });

  it('lists the tenants in the Cluster\'s report, and the Cluster in the tenants\'', () => {
    const report = (name: string) => JSON.parse(readFileSync(join(fleet.outdir, 'sovereignty', `${name}.json`), 'utf8'));
    expect(report('shared-de').fleet).toEqual({ tenants: ['agency-de', 'eu-body'] });
    expect(report('agency-de').fleet).toEqual({ cluster: 'shared-de' });
    expect(report('agency-at').fleet).toBeUndefined();
    expect(readFileSync(join(fleet.outdir, 'sovereignty', 'shared-de.md'), 'utf8')).toContain('Hosts 2 Workplaces: **agency-de**, **eu-body**.');
  });

  describe('tenant isolation', () => {
    type Peer = { namespace_selector?: { match_labels?: Record<string, string> }; pod_selector?: unknown; ip_block?: unknown };
    const policies = (name: string) => Object.values(fleet.json(name).resource.kubernetes_network_policy_v1 ?? {}) as {
      metadata: { namespace: string }; spec: { ingress?: { from?: Peer[] }[]; egress?: { to?: Peer[] }[]; policy_types: string[] };
    }[];
    const namespaceOf = (p: ReturnType<typeof policies>[number]) => p.metadata.namespace;
    /** A namespace as written: its name, or a reference to a namespace resource of the stack. */
    const namespaceName = (stack: string, written: string): string => {
      const ref = /^\$\{kubernetes_namespace_v1\.([^.]+)\.metadata\[0\]\.name\}$/.exec(written);
      return ref ? fleet.json(stack).resource.kubernetes_namespace_v1[ref[1]].metadata.name : written;
    };
    const clusterNamespaces = ['shared-de-platform', 'shared-de-backup', 'shared-de-logging', 'shared-de-metrics', 'traefik'];

    it.each(['agency-de', 'eu-body'])('%s: every NetworkPolicy is in its own namespaces, and lets in only them and the cluster\'s services', (tenant) => {
      const own = Object.values(fleet.stacks.workplaces.get(tenant)?.workplace.namespaces ?? {}).map((ns) => ns.name);
      const list = policies(tenant);
      expect(list.length).toBeGreaterThan(0);
      for (const policy of list) {
        expect(own).toContain(namespaceName(tenant, namespaceOf(policy)));
        for (const peer of (policy.spec.ingress ?? []).flatMap((r) => r.from ?? [])) {
          // No address range lets traffic in, but the public SMTP ports of mail: every other source is a pod chosen by namespace.
          if (peer.ip_block) {
            expect(namespaceName(tenant, namespaceOf(policy))).toBe(`${tenant}-mail`);
            continue;
          }
          if (!peer.namespace_selector) continue; // a pod selector alone: the policy's own namespace
          // An empty namespace selector would let in every namespace.
          expect([...own, ...clusterNamespaces]).toContain(peer.namespace_selector.match_labels?.['kubernetes.io/metadata.name']);
        }
        for (const peer of (policy.spec.egress ?? []).flatMap((r) => r.to ?? [])) {
          if (!peer.namespace_selector) continue;
          expect([...own, ...clusterNamespaces, 'kube-system']).toContain(peer.namespace_selector.match_labels?.['kubernetes.io/metadata.name']);
        }
      }
    });

    it('no tenant names another tenant\'s namespace anywhere in its configuration', () => {
      expect(JSON.stringify(fleet.json('agency-de'))).not.toMatch(/eu-body-/);
      expect(JSON.stringify(fleet.json('eu-body'))).not.toMatch(/agency-de-/);
    });

    it.each(['agency-de', 'eu-body'])('%s: every namespace denies all ingress by default', (tenant) => {
      const denied = policies(tenant).filter((p) => p.spec.policy_types.includes('Ingress') && !(p.spec.ingress?.length)).map((p) => namespaceName(tenant, namespaceOf(p)));
      const own = Object.values(fleet.stacks.workplaces.get(tenant)?.workplace.namespaces ?? {}).map((ns) => ns.name);
      expect(denied.sort()).toEqual(own.sort());
    });
  });
});

describe('a tenant whose bounds do not fit its shared cluster', () => {
  /** The Cluster bound to the EU, its log sink in France; the DE tenant must fail, the EU-wide one pass. */
  const frenchLogs = (doc: Doc): Doc => ({
    ...doc,
    spec: {
      ...doc.spec, jurisdiction: 'EU', logging: { endpoint: 'https://logs.it-service.fr/loki/api/v1/push' },
      locations: { ...doc.spec.locations, 'logs.it-service.fr': { country: 'FR', operator: 'FR' } },
    },
  });

  it('fails in the tenant\'s stack, naming the Cluster\'s field; the Cluster and the EU-wide tenant pass', () => {
    const fleet = synthFleet(load(fleetFolder({ 'shared-de.yaml': frenchLogs }, ['shared-de.yaml', 'agency-de.yaml', 'eu-body.yaml'])));
    expect(fleet.errors('shared-de')).toEqual([]);
    expect(fleet.errors('eu-body')).toEqual([]);
    const [error, ...rest] = fleet.errors('agency-de');
    expect(rest).toEqual([]);
    expect(error).toMatch(/^SD-RESIDENCY/);
    expect(error).toMatch(/log sink of the shared cluster shared-de/);
    expect(error).toMatch(/spec\.logging\.endpoint of the Cluster shared-de \(.*shared-de\.yaml\)/);
  });

  it('fails if the Cluster\'s volume backups leave the tenant\'s bounds', () => {
    const fleet = synthFleet(load(fleetFolder({
      'shared-de.yaml': (doc) => ({ ...doc, spec: { ...doc.spec, jurisdiction: 'EU', backup: { ...doc.spec.backup, endpoint: 'https://s3.fr-par.scw.cloud' } } }),
    }, TWO)));
    expect(fleet.errors('shared-de')).toEqual([]);
    expect(fleet.errors('agency-de').join('\n')).toMatch(/volume backups of the shared cluster shared-de[\s\S]*spec\.backup\.endpoint of the Cluster shared-de/);
  });

  it('fails if the shared cluster itself is outside the tenant\'s bounds, naming the Cluster\'s spec.location', () => {
    const fleet = synthFleet(load(fleetFolder({
      'shared-de.yaml': (doc) => ({ ...doc, spec: { ...doc.spec, jurisdiction: 'EU', location: 'scaleway/fr-par' } }),
    }, TWO)));
    expect(fleet.errors('agency-de').join('\n')).toMatch(/spec\.location of the Cluster shared-de/);
  });
});

describe('a synth of some of a fleet\'s files', () => {
  it('backs up the volumes of the tenants it did not read: the Cluster\'s Velero does not depend on the list', () => {
    const some = synthFleet(load(fleetFolder({}, TWO)));
    const all = synthFleet(load(EXAMPLES));
    const velero = (f: SynthesizedFleet) => Object.values(f.json('shared-de').resource.helm_release).find((r: any) => r.chart === 'velero');
    expect(velero(some)).toEqual(velero(all));
  });
});

describe('the key custody of a shared cluster\'s copies, in a tenant', () => {
  const custodyOf = (stack: { prove(): { placements: readonly { ownerPath: string; kind: string; keys?: { custody: string }; custodyUnbacked?: string }[] } } | undefined) =>
    (stack?.prove().placements ?? []).filter((p) => p.ownerPath.includes('SharedCluster')).map((p) => [p.kind, p.keys?.custody, p.custodyUnbacked])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

  it('is the Cluster\'s: Velero\'s volume backups are client-side, backed by the Cluster stack\'s generated repository password', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'desk-fleet-keys-')) });
    const stacks = addFleet(app, load(fleetFolder({}, TWO)), { terminal: false, report: false });
    expect(custodyOf(stacks.workplaces.get('agency-de'))).toEqual([
      ['backup', 'client-side', undefined], ['log-sink', 'provider', undefined], ['metrics-sink', 'provider', undefined],
    ]);
  });

  it('fails if the Cluster stack\'s repository password is written as a literal: the tenant\'s claim is then unbacked', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'desk-fleet-keys-')) });
    const stacks = addFleet(app, load(fleetFolder({}, TWO)), { terminal: false, report: false });
    const secret = stacks.clusters.get('shared-de')?.node.findAll().find((c) => c.node.path.includes('VolumeBackups') && c.node.id === 'Secret') as { addOverride(path: string, value: unknown): void } | undefined;
    expect(secret).toBeDefined();
    secret?.addOverride('data.repository-password', 'static-password-of-every-velero');
    const [backup] = custodyOf(stacks.workplaces.get('agency-de'));
    expect(backup[0]).toBe('backup');
    expect(backup[2]).toEqual(expect.any(String));
    expect(stacks.workplaces.get('agency-de')?.prove().findings.filter((f) => f.ruleId === 'SD-KEY-CUSTODY' && f.severity === 'error')).toHaveLength(1);
  });

  it('fails if the tenant is built without its Cluster\'s stack in the app: nothing backs the claim', () => {
    const fleet = load(fleetFolder({}, TWO));
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'desk-fleet-keys-')) });
    const tenant = new WorkplaceStack(app, 'agency-de', { ...fleet.workplaces[0], terminal: false, report: false });
    const [backup] = custodyOf(tenant);
    expect(backup[2]).toMatch(/the stack shared-de that provides it is not a proven stack of this app/);
  });
});

describe('a fleet folder with a tenant on a Cluster without log shipping, metrics or backups', () => {
  it('declares none of the sinks in the tenant', () => {
    const fleet = synthFleet(load(fleetFolder({
      'shared-de.yaml': (doc) => {
        const spec = { ...doc.spec };
        delete spec.logging;
        delete spec.monitoring;
        delete spec.backup;
        return { ...doc, spec };
      },
    }, TWO)));
    const kinds = fleet.stacks.workplaces.get('agency-de')?.prove().placements.filter((p) => p.ownerPath.includes('SharedCluster')).map((p) => p.kind);
    expect(kinds).toEqual([]);
    // Volumes are then uncovered: SD-BACKUP says so in the tenant.
    expect(fleet.errors('agency-de').join('\n')).toMatch(/SD-BACKUP/);
  });
});

describe('a fleet folder\'s subfolders', () => {
  it('keeps subfolders out of a fleet', () => {
    const dir = fleetFolder();
    mkdirSync(join(dir, 'old.yaml'));
    expect(load(dir).errors).toEqual([]);
  });
});

describe('BackupCoverage of every namespace', () => {
  it('covers every namespace but Kubernetes\' own', () => {
    const app = new App();
    const coverage = new BackupCoverage(app, 'Coverage', { namespaces: ['*'], target: 'https://fsn1.your-objectstorage.com' });
    expect(coverage.covers('agency-de-files')).toBe(true);
    for (const ns of ['kube-system', 'kube-public', 'kube-node-lease']) expect(coverage.covers(ns)).toBe(false);
    const listed = new BackupCoverage(app, 'Listed', { namespaces: ['a-files'], target: 'https://fsn1.your-objectstorage.com' });
    expect([listed.covers('a-files'), listed.covers('b-files')]).toEqual([true, false]);
  });
});
