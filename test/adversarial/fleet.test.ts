/**
 * Attacks on a fleet: a tenant on a shared cluster whose stack passes while
 * its data leaves its bounds through the Cluster's services, a tenant that
 * reaches another, and fleets the loader must refuse. Fleets are built in
 * memory through the same parser and assembly as a folder of files; only the
 * stack under attack is proven.
 */
import { copyFileSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { parse } from 'yaml';
import { Fleet, SourcedDocument, SpecError, assembleFleet, parseDocumentOf } from '../../constructs/deployment';
import { RULE_IDS } from '../../constructs/policy/engine';
import { formatFinding } from '../../constructs/policy/format';
import { tenantLayout } from '../../constructs/suite';
import { ClusterStack } from '../../stacks/cluster-stack';
import { loadFleet } from '../../stacks/load-deployment';
import { addFleet } from '../../stacks/fleet-app';
import { WorkplaceStack } from '../../stacks/workplace-stack';
import { generatedFleet } from '../bench/generated-fleet';
import '../util';

const EXAMPLES = resolve(__dirname, '..', '..', 'deployments');

type Doc = { apiVersion: string; kind: string; metadata: { name: string }; spec: Record<string, any> };

function example(file: string): Doc {
  return parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Doc;
}

/** The example Cluster shared-de, changed by `spec`. */
function cluster(spec: Record<string, unknown> = {}, name = 'shared-de'): Doc {
  const doc = example('shared-de.yaml');
  return { ...doc, metadata: { name }, spec: { ...doc.spec, ...spec } };
}

/** The example tenant agency-de (bounds DE) on shared-de, changed by `spec`. */
function tenant(spec: Record<string, unknown> = {}, name = 'agency-de'): Doc {
  const doc = example('agency-de.yaml');
  return { ...doc, metadata: { name }, spec: { ...doc.spec, ...spec } };
}

/** A second tenant, eu-body (bounds EU), changed by `spec`. */
function euBody(spec: Record<string, unknown> = {}): Doc {
  const doc = example('eu-body.yaml');
  return { ...doc, spec: { ...doc.spec, ...spec } };
}

/** The documents as a fleet folder would be read: each parsed on its own, then assembled. */
function fleetOf(...docs: Doc[]): Fleet {
  const documents: SourcedDocument[] = [];
  const errors: SpecError[] = [];
  for (const doc of docs) {
    const path = `fleet/${doc.metadata.name}.yaml`;
    try {
      documents.push({ source: { path, text: JSON.stringify(doc) }, document: parseDocumentOf(doc, path, { knownRules: RULE_IDS }) });
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      errors.push(error);
    }
  }
  return assembleFleet(documents, errors);
}

/** Every refusal of the fleet, as one text. */
function refusals(fleet: Fleet): string {
  return fleet.errors.map((e) => e.message).join('\n');
}

/** The error findings of one Workplace of the fleet, proven alone (without the other stacks). */
function errorsOf(fleet: Fleet, name: string): string[] {
  const workplace = fleet.workplaces.find((w) => w.deployment.metadata.name === name);
  if (!workplace) throw new Error(`${name} is not a stack of the fleet:\n${refusals(fleet)}`);
  // The tenant's Cluster stack is in the app, as in a synth: its configuration backs the tenant's claims about its copies.
  const stack = addFleet(new App(), fleet, { report: false, terminal: false }).workplaces.get(name) as WorkplaceStack;
  const result = stack.prove();
  return result.findings.filter((f) => f.severity === 'error').map((f) => formatFinding(f, result.context));
}

/** The fleet is refused, or the named tenant's proof fails: either way it does not pass. */
function failsOrRefused(fleet: Fleet, name: string): string {
  const refused = refusals(fleet);
  if (!fleet.workplaces.some((w) => w.deployment.metadata.name === name)) return refused;
  return [refused, ...errorsOf(fleet, name)].filter(Boolean).join('\n');
}

describe('lawful fleets stay lawful', () => {
  it('a generated fleet of 40 tenants on 4 Clusters that share one kubeconfig file for their API servers\' credentials', () => {
    const fleet = generatedFleet(40, 4);
    expect(fleet.errors).toEqual([]);
    expect(fleet.clusters.map((c) => c.tenants.length)).toEqual([10, 10, 10, 10]);
  });

  it('the example Cluster with two tenants: no refusal, no error', () => {
    const fleet = fleetOf(cluster(), tenant(), euBody());
    expect(refusals(fleet)).toBe('');
    expect(errorsOf(fleet, 'agency-de')).toEqual([]);
    expect(errorsOf(fleet, 'eu-body')).toEqual([]);
  });
});

/** A Cluster bound to the EU whose log sink is in France; a DE tenant on it must not pass. */
const FRENCH_LOGS = {
  jurisdiction: 'EU',
  logging: { endpoint: 'https://logs.it-service.fr/loki/api/v1/push' },
  locations: { '*.it-service.example': { country: 'DE', operator: 'DE' }, '*.it-service.fr': { country: 'FR', operator: 'FR' } },
};

const OWN = { '*.agency-de.example': { country: 'DE', operator: 'DE' } };

describe('a tenant\'s data leaves its bounds through the shared cluster, and the tenant passes', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['its domain covers the Cluster\'s log sink, so the sink counts as in the cluster', { domain: 'it-service.fr' }, /spec\.domain[\s\S]*logs\.it-service\.fr/],
    ['its domain is the Cluster\'s log sink host', { domain: 'logs.it-service.fr' }, /spec\.domain[\s\S]*logs\.it-service\.fr/],
    ['one of its hosts is the Cluster\'s log sink host', { hosts: { files: 'logs.it-service.fr' } }, /spec\.hosts\.files[\s\S]*logs\.it-service\.fr/],
  ])('fails if %s', (_name, spec, named) => {
    expect(failsOrRefused(fleetOf(cluster(FRENCH_LOGS), tenant(spec)), 'agency-de')).toMatch(named);
  });

  it('fails if it declares a host of the Cluster\'s services that the Cluster leaves undeclared', () => {
    const fleet = fleetOf(
      cluster({ ...FRENCH_LOGS, profile: 'residency', logging: { endpoint: 'https://logs.unknown-host.example/loki/api/v1/push' } }),
      tenant({ locations: { ...OWN, 'logs.unknown-host.example': { country: 'DE', operator: 'DE' } } }),
    );
    expect(failsOrRefused(fleet, 'agency-de')).toMatch(/spec\.locations\.logs\.unknown-host\.example: places[^\n]*Cluster "shared-de"[^\n]*spec\.logging\.endpoint/);
  });

  it('fails if it declares the Cluster\'s log sink address elsewhere through an IPv4-mapped IPv6 range', () => {
    const fleet = fleetOf(
      cluster({ ...FRENCH_LOGS, logging: { endpoint: 'https://192.0.2.10/loki/api/v1/push' }, locations: { ...FRENCH_LOGS.locations, '192.0.2.0/24': { country: 'FR', operator: 'FR' } } }),
      tenant({ locations: { ...OWN, '::ffff:192.0.2.0/120': { country: 'DE', operator: 'DE' } } }),
    );
    expect(failsOrRefused(fleet, 'agency-de')).toMatch(/::ffff:192\.0\.2\.0\/120/);
  });

  it('fails if it declares an IPv6 range that holds every IPv4 address (::/64), placing the Cluster\'s IPv4 services in its country', () => {
    const fleet = fleetOf(
      cluster({ ...FRENCH_LOGS, logging: { endpoint: 'https://192.0.2.10/loki/api/v1/push' }, locations: { ...FRENCH_LOGS.locations, '192.0.2.0/24': { country: 'FR', operator: 'FR' } } }),
      tenant({ locations: { ...OWN, '::/64': { country: 'DE', operator: 'DE' } } }),
    );
    expect(failsOrRefused(fleet, 'agency-de')).toMatch(/192\.0\.2\.10/);
  });

  it.each<[string, Record<string, unknown>]>([
    ['without a path', {}],
    ['with the path of the shared-cluster placements', { path: 'agency-de/Workplace/SharedCluster' }],
  ])('fails if its suppression %s accepts the Cluster\'s log sink outside its bounds', (_name, scope) => {
    const suppressions = [{ rule: 'SD-RESIDENCY', reason: 'the shared cluster is not ours to change', ...scope }];
    expect(errorsOf(fleetOf(cluster(FRENCH_LOGS), tenant({ suppressions })), 'agency-de').join('\n')).toMatch(/SD-RESIDENCY[^\n]*log sink of the shared cluster shared-de/);
  });

  it('fails if its suppression accepts the Cluster\'s location, volume backups or CA outside its bounds', () => {
    const elsewhere = cluster({
      jurisdiction: 'EU', location: 'scaleway/fr-par', backup: { ...cluster().spec.backup, endpoint: 'https://s3.fr-par.scw.cloud' },
      tls: { acme: 'https://acme-v02.api.letsencrypt.org/directory' },
    });
    const suppressions = ['SD-RESIDENCY', 'SD-OPERATOR', 'SD-REGION-SPAN'].map((rule) => ({ rule, reason: 'the shared cluster is not ours to change' }));
    const errors = errorsOf(fleetOf(elsewhere, tenant({ suppressions })), 'agency-de').join('\n');
    expect(errors).toMatch(/spec\.location of the Cluster shared-de/);
    expect(errors).toMatch(/volume backups of the shared cluster shared-de/);
    expect(errors).toMatch(/spec\.tls\.acme of the Cluster shared-de/);
  });
});

describe('tenants of a fleet that reach each other', () => {
  const names = (fleet: Fleet) => fleet.workplaces.map((w) => w.deployment.metadata.name);

  it('fails if two Workplaces have the same domain (the same mail domain, Matrix server name and hosts); neither is synthesized', () => {
    const fleet = fleetOf(cluster(), tenant(), euBody({ domain: 'desk.agency-de.example' }));
    expect(refusals(fleet)).toMatch(/spec\.domain: is the domain of more than one Workplace[^\n]*agency-de[^\n]*eu-body[\s\S]*value: +"desk\.agency-de\.example"/);
    expect(names(fleet)).toEqual([]);
  });

  it('fails if a Workplace\'s domain is under another\'s (its hosts are in the other\'s zone)', () => {
    expect(refusals(fleetOf(cluster(), tenant(), euBody({ domain: 'eu.desk.agency-de.example' }))))
      .toMatch(/spec\.domain: is the domain of more than one Workplace, or under another's: spec\.domain of eu-body[^\n]*spec\.domain of agency-de/);
  });

  it('fails if a tenant serves a host of another tenant (the shared ingress would send it the other\'s users)', () => {
    expect(refusals(fleetOf(cluster(), tenant(), euBody({ hosts: { identity: 'id.desk.agency-de.example' } }))))
      .toMatch(/spec\.hosts: is served by more than one Workplace[^\n]*spec\.hosts\.identity of eu-body[^\n]*spec\.domain of agency-de/);
  });

  it('fails if a tenant keeps its state (every generated secret) in another tenant\'s namespace; the other is kept', () => {
    const fleet = fleetOf(cluster(), tenant({ state: { backend: 'kubernetes', namespace: 'eu-body-files' } }), euBody());
    expect(refusals(fleet)).toMatch(/spec\.state\.namespace: of agency-de [^\n]*in eu-body-files, a namespace of eu-body /);
    expect(names(fleet)).toEqual(['eu-body']);
  });

  it('fails if a tenant keeps its state in a namespace of the Cluster', () => {
    expect(refusals(fleetOf(cluster(), tenant({ state: { backend: 'kubernetes', namespace: 'shared-de-logging' } }))))
      .toMatch(/spec\.state\.namespace: of agency-de [^\n]*in shared-de-logging, a namespace of shared-de /);
  });

  it('fails if the Cluster\'s ingress namespace is a tenant\'s namespace (every tenant would let that tenant in)', () => {
    const fleet = fleetOf(cluster({ ingress: { className: 'traefik', namespace: 'eu-body-files', install: false } }), tenant(), euBody());
    expect(refusals(fleet)).toMatch(/spec\.ingress\.namespace: of shared-de [^\n]*in eu-body-files, a namespace of eu-body /);
    expect(fleet.clusters).toEqual([]);
  });

  it.each<[string, () => Fleet, RegExp]>([
    ['two tenants back up their databases into one bucket', () => fleetOf(cluster(), tenant(), euBody({ backup: { endpoint: 'https://fsn1.your-objectstorage.com', bucket: 'agency-de-backups' } })),
      /spec\.backup\.bucket of agency-de [^\n]*spec\.backup\.bucket of eu-body [\s\S]*value: +"agency-de-backups at fsn1\.your-objectstorage\.com"/],
    ['a tenant backs up into the bucket of the Cluster\'s volume backups', () => fleetOf(cluster(), tenant({ backup: { endpoint: 'https://fsn1.your-objectstorage.com', bucket: 'shared-de-volumes' } })),
      /spec\.backup\.bucket of shared-de [^\n]*spec\.backup\.bucket of agency-de [\s\S]*value: +"shared-de-volumes at fsn1\.your-objectstorage\.com"/],
    ['two tenants store their files in one bucket', () => fleetOf(cluster(), tenant({ objectStorage: { endpoint: 'https://object.storage.eu01.onstackit.cloud', bucket: 'files' } }),
      euBody({ objectStorage: { endpoint: 'https://object.storage.eu01.onstackit.cloud', bucket: 'files' } })),
      /spec\.objectStorage\.bucket of agency-de [^\n]*spec\.objectStorage\.bucket of eu-body [\s\S]*value: +"files at object\.storage\.eu01\.onstackit\.cloud"/],
  ])('fails if %s (each could read and overwrite the other\'s copies)', (_name, build, named) => {
    const fleet = build();
    expect(refusals(fleet)).toMatch(/is the bucket of more than one stack/);
    expect(refusals(fleet)).toMatch(named);
    expect(names(fleet)).toEqual([]);
  });

  it('fails if the Cluster\'s ingress namespace is one of its own service namespaces (Velero\'s privileged agent would be let into every tenant)', () => {
    const fleet = fleetOf(cluster({ ingress: { className: 'traefik', namespace: 'shared-de-backup', install: false } }), tenant());
    expect(refusals(fleet)).toMatch(/spec\.ingress\.namespace: of shared-de [^\n]*in shared-de-backup, a namespace of shared-de /);
    expect(fleet.clusters).toEqual([]);
  });

  it('fails if a tenant\'s mail domain is another tenant\'s domain (it would take the other\'s mail)', () => {
    expect(refusals(fleetOf(cluster(), tenant(), euBody({ mail: { domain: 'desk.agency-de.example' } }))))
      .toMatch(/spec\.domain: is the domain of more than one Workplace[^\n]*spec\.domain of agency-de[^\n]*spec\.mail\.domain of eu-body/);
  });

  it('fails if a tenant backs up into the bucket that holds the Cluster\'s Terraform state', () => {
    const fleet = fleetOf(
      cluster({ state: { backend: 's3', endpoint: 'https://fsn1.your-objectstorage.com', bucket: 'it-service-states' } }),
      tenant({ backup: { endpoint: 'https://fsn1.your-objectstorage.com', bucket: 'it-service-states' } }),
    );
    expect(refusals(fleet)).toMatch(/is the bucket of more than one stack: spec\.state\.bucket of shared-de [^\n]*spec\.backup\.bucket of agency-de /);
  });

  it('keeps the Terraform states of several stacks in one bucket, each under its own key', () => {
    const state = { state: { backend: 's3', endpoint: 'https://fsn1.your-objectstorage.com', bucket: 'it-service-states' } };
    expect(refusals(fleetOf(cluster(state), tenant(state), euBody(state)))).toBe('');
  });

  it('fails if two Clusters describe one cluster (each one\'s agents would carry the other\'s tenants\' data unproven)', () => {
    const second = cluster({ apiServer: 'https://api.shared-de.it-service.example:6443/', kubeconfig: '~/.kube/other', backup: { ...cluster().spec.backup, bucket: 'second-volumes' } }, 'second');
    const fleet = fleetOf(cluster(), second, tenant());
    expect(refusals(fleet)).toMatch(/spec\.apiServer: of second [^\n]*the cluster of the Cluster shared-de /);
    expect(fleet.clusters).toEqual([]);
    expect(fleet.workplaces).toEqual([]);
  });

  it('fails if a Workplace of its own reaches a Cluster\'s cluster through the same kubeconfig and context', () => {
    const own = example('agency-at.yaml');
    const { apiServer: _, ...connection } = own.spec.cluster;
    const fleet = fleetOf(cluster(), { ...own, spec: { ...own.spec, cluster: { ...connection, kubeconfig: '~/.kube/shared-de' } } });
    expect(refusals(fleet)).toMatch(/spec\.cluster: of agency-at [^\n]*the shared cluster of the Cluster shared-de /);
  });

  it('fails if a Workplace with a cluster of its own names a Cluster\'s API server (its logs would reach the Cluster\'s sink unproven)', () => {
    const own = example('agency-at.yaml');
    const fleet = fleetOf(cluster(), tenant(), { ...own, spec: { ...own.spec, cluster: { ...own.spec.cluster, apiServer: 'https://api.shared-de.it-service.example:6443' } } });
    expect(refusals(fleet)).toMatch(/spec\.cluster: of agency-at [^\n]*the shared cluster of the Cluster shared-de /);
    expect(names(fleet)).toEqual(['agency-de']);
  });
});

describe('stacks of a fleet composed in code', () => {
  it('fails if a ClusterStack is given fewer tenants than its Cluster hosts (Velero would skip volumes the tenants count as backed up)', () => {
    const fleet = fleetOf(cluster(), tenant(), euBody());
    const layouts = fleet.workplaces.filter((w) => w.deployment.metadata.name === 'agency-de').map((w) => tenantLayout(w.deployment));
    expect(() => new ClusterStack(new App(), 'shared-de', { cluster: fleet.clusters[0], report: false, terminal: false })).toThrow(/tenants[\s\S]*agency-de, eu-body/);
    expect(() => new ClusterStack(new App(), 'shared-de', { cluster: fleet.clusters[0], tenants: layouts, report: false, terminal: false })).toThrow(/tenants: agency-de[\s\S]*eu-body/);
  });

  it('fails if a WorkplaceStack is put on a Cluster that does not host it', () => {
    const fleet = fleetOf(cluster(), tenant(), euBody());
    const other = fleetOf(cluster(), euBody());
    const agency = fleet.workplaces.find((w) => w.deployment.metadata.name === 'agency-de');
    expect(() => new WorkplaceStack(new App(), 'agency-de', { deployment: agency!.deployment, cluster: other.clusters[0], report: false, terminal: false }))
      .toThrow(/cluster[\s\S]*hosts eu-body[\s\S]*not agency-de/);
  });
});

describe('the fleet loader', () => {
  /** A folder holding the example Cluster and tenant. */
  function folder(): string {
    const dir = mkdtempSync(join(tmpdir(), 'desk-attack-'));
    for (const file of ['shared-de.yaml', 'agency-de.yaml']) copyFileSync(join(EXAMPLES, file), join(dir, file));
    return dir;
  }

  it('fails if a folder holds a link to one of its files (the same document twice)', () => {
    const dir = folder();
    symlinkSync(join(dir, 'agency-de.yaml'), join(dir, 'again.yml'));
    expect(refusals(loadFleet(dir))).toMatch(/metadata\.name: names 2 stacks, in [^\n]*again\.yml, [^\n]*agency-de\.yaml/);
  });

  it('fails if a list names a folder and a linked copy of it, or one file in two spellings', () => {
    const dir = folder();
    const link = `${dir}-link`;
    symlinkSync(dir, link);
    expect(refusals(loadFleet(`${dir},${link}`))).toMatch(/names 2 stacks/);
    expect(() => loadFleet(`${dir}/agency-de.yaml,${dir}/./x/../agency-de.yaml,${dir}/shared-de.yaml`)).toThrow(/more than once/);
  });

  it('fails if a folder holds a spec whose extension is in another case (it would be left out unseen)', () => {
    const dir = folder();
    copyFileSync(join(EXAMPLES, 'eu-body.yaml'), join(dir, 'eu-body.YAML'));
    expect(() => loadFleet(dir)).toThrow(/DESK_DEPLOYMENT: names a folder with a spec file whose extension is in another case[\s\S]*eu-body\.YAML/);
  });

  it('fails if the same Workplace is written once as YAML and once as JSON', () => {
    const dir = folder();
    writeFileSync(join(dir, 'agency-de.json'), JSON.stringify(example('agency-de.yaml')));
    expect(refusals(loadFleet(dir))).toMatch(/names 2 stacks, in [^\n]*agency-de\.json, [^\n]*agency-de\.yaml/);
  });

  it('fails if two stacks name one local state file in different spellings', () => {
    const fleet = fleetOf(cluster(), tenant({ state: { backend: 'local', path: 'x.tfstate' } }), euBody({ state: { backend: 'local', path: './x.tfstate' } }));
    expect(refusals(fleet)).toMatch(/same Terraform state for 2 stacks/);
  });

  it('fails if two stacks name one S3 state in different spellings of its endpoint', () => {
    const state = (endpoint: string) => ({ state: { backend: 's3', endpoint, bucket: 'desk-states', key: 'one.tfstate' } });
    const fleet = fleetOf(cluster(), tenant(state('https://s3.fr-par.scw.cloud')), euBody(state('https://S3.fr-par.scw.cloud:443/')));
    expect(refusals(fleet)).toMatch(/same Terraform state for 2 stacks: agency-de [^\n]*, eu-body /);
  });

  it('fails if a Workplace of its own names a Cluster\'s API server in another spelling', () => {
    const own = example('agency-at.yaml');
    const fleet = fleetOf(cluster(), { ...own, spec: { ...own.spec, cluster: { ...own.spec.cluster, apiServer: 'https://API.shared-de.it-service.example.:6443/' } } });
    expect(refusals(fleet)).toMatch(/spec\.cluster: of agency-at [^\n]*the shared cluster of the Cluster shared-de /);
  });

  it('keeps a tenant whose domain is under the IT service\'s own domain, away from its services\' hosts', () => {
    const fleet = fleetOf(cluster(), tenant({ domain: 'agency-de.desk.it-service.example' }));
    expect(refusals(fleet)).toBe('');
    expect(errorsOf(fleet, 'agency-de')).toEqual([]);
  });
});
