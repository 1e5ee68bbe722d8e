/**
 * What placements mean for the proof: which kinds hold data, how a registry
 * target is read, and the order findings are reported in.
 */
import { LocationResolver, Resolution } from '../../constructs/jurisdiction';
import {
  DATA_STORE_KINDS, OPAQUE_KINDS, PLACEMENT_KINDS, Placement, PlacementKind, SUPPLY_CHAIN_KINDS, backupCoverage,
  comparePlacements, dataLocation, resolvePlacement,
} from '../../constructs/policy';
import { context } from '../util';

const resolver = new LocationResolver({
  cluster: new LocationResolver().resolve('stackit/eu01'),
  declarations: [{ pattern: 'registry.agency.example', countries: ['DE'], operator: 'DE' }],
});
const inGermany = resolver.resolve('https://fsn1.your-objectstorage.com');

function placed(kind: PlacementKind, extra: Partial<Placement> = {}): Placement {
  return { kind, target: 'https://fsn1.your-objectstorage.com', description: `${kind} under test`, ownerPath: 'a', origin: 'scan', resolution: inGermany, ...extra };
}

function labelOf(resolution: Resolution): string {
  if (resolution.status !== 'resolved') throw new Error(`unproven: ${resolution.reason}`);
  return resolution.location.label;
}

describe('placement kinds', () => {
  it('code comes from registries, chart repositories, modules and provider sources; programs and stacks are opaque', () => {
    expect([...SUPPLY_CHAIN_KINDS].sort()).toEqual(['chart-repository', 'module', 'provider-source', 'registry']);
    expect([...OPAQUE_KINDS].sort()).toEqual(['exec', 'stack']);
    expect([...DATA_STORE_KINDS].sort()).toEqual(['bucket', 'database', 'volume']);
  });

  it.each(['registry', 'chart-repository', 'module', 'provider-source', 'exec', 'stack', 'state'] as const)(
    'a resolved %s holds no data of the deployment',
    (kind) => {
      expect(inGermany.status).toBe('resolved');
      expect(dataLocation(placed(kind))).toBeUndefined();
    },
  );

  it.each(PLACEMENT_KINDS.filter((k) => ![...SUPPLY_CHAIN_KINDS, ...OPAQUE_KINDS, 'state'].includes(k)))(
    'a resolved %s holds data where it is resolved, and nowhere proven when unproven',
    (kind) => {
      expect(dataLocation(placed(kind))).toEqual(inGermany.status === 'resolved' ? inGermany.location : undefined);
      expect(dataLocation(placed(kind, { resolution: { status: 'unproven', reason: 'r', hint: 'h' } }))).toBeUndefined();
    },
  );

  it.each(['database', 'volume', 'bucket'] as const)('a %s without a backup fails SD-BACKUP', (kind) => {
    expect(backupCoverage.check(placed(kind), context('DE')).status).toBe('non-compliant');
  });

  it('a backup target, an endpoint or a cluster needs no backup of its own', () => {
    for (const kind of ['backup', 'endpoint', 'cluster', 'log-sink', 'metrics-sink'] as const) {
      expect(backupCoverage.check(placed(kind), context('DE')).status).toBe('not-applicable');
    }
  });
});

describe('resolvePlacement: a registry target', () => {
  it('a bare host is the registry itself, not an image on Docker Hub', () => {
    expect(labelOf(resolvePlacement({ kind: 'registry', target: 'registry.agency.example', description: '' }, resolver))).toBe('declared registry.agency.example');
  });

  it('an image reference is placed at its registry', () => {
    expect(labelOf(resolvePlacement({ kind: 'registry', target: 'registry.agency.example/team/app:1.0', description: '' }, resolver))).toBe('declared registry.agency.example');
    expect(labelOf(resolvePlacement({ kind: 'registry', target: 'nginx', description: '' }, resolver))).toMatch(/Docker Hub/);
  });

  it('a name with a port or no dot is an image reference (on Docker Hub), as every runtime reads it', () => {
    expect(labelOf(resolvePlacement({ kind: 'registry', target: 'registry.agency.example:5000', description: '' }, resolver))).toMatch(/Docker Hub/);
    expect(labelOf(resolvePlacement({ kind: 'registry', target: 'registry', description: '' }, resolver))).toMatch(/Docker Hub/);
  });

  it('any other kind resolves its target as a host or URL', () => {
    expect(labelOf(resolvePlacement({ kind: 'endpoint', target: 'registry.agency.example', description: '' }, resolver))).toBe('declared registry.agency.example');
    expect(resolvePlacement({ kind: 'endpoint', target: 'nginx', description: '' }, resolver).status).toBe('unproven');
  });
});

describe('comparePlacements: owner path, kind, target, field', () => {
  const sorted = (...list: Placement[]) => [...list].sort(comparePlacements).map((p) => `${p.ownerPath} ${p.kind} ${p.target} ${p.field ?? '-'}`);

  it('orders by owner path first', () => {
    expect(sorted(placed('bucket', { ownerPath: 'b', target: 'a' }), placed('volume', { ownerPath: 'a', target: 'z' })))
      .toEqual(['a volume z -', 'b bucket a -']);
  });

  it('then by kind, then by target', () => {
    expect(sorted(placed('volume', { target: 'a' }), placed('bucket', { target: 'z' }), placed('bucket', { target: 'b' })))
      .toEqual(['a bucket b -', 'a bucket z -', 'a volume a -']);
  });

  it('then by field, a missing field first', () => {
    expect(sorted(placed('bucket', { target: 't', field: 'spec.y' }), placed('bucket', { target: 't', field: 'spec.x' }), placed('bucket', { target: 't' })))
      .toEqual(['a bucket t -', 'a bucket t spec.x', 'a bucket t spec.y']);
    expect(comparePlacements(placed('bucket', { field: 'f' }), placed('bucket', { field: 'f' }))).toBe(0);
    expect(comparePlacements(placed('bucket', { field: 'spec.x' }), placed('bucket'))).toBeGreaterThan(0);
    expect(comparePlacements(placed('bucket'), placed('bucket', { field: 'spec.x' }))).toBeLessThan(0);
  });
});
