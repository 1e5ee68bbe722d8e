/**
 * What Terraform itself fetches and where its providers put resources:
 * module sources, provider sources, provider regions.
 *
 * Pure: names and sources in, targets out.
 */

/** A Terraform provider the catalogue knows, and the attribute that names its region. */
export interface CataloguedProvider {
  /** Provider id in the catalogue (`aws`, `gcp`, `hetzner`…). */
  readonly id: string;
  /** Attributes of the provider configuration that name its default region. @default - none: resources carry their location */
  readonly regionAttributes?: readonly string[];
}

/** Terraform provider names the catalogue can place, by their catalogue id. */
export const CATALOGUED_PROVIDERS: Readonly<Record<string, CataloguedProvider>> = {
  aws: { id: 'aws', regionAttributes: ['region'] },
  google: { id: 'gcp', regionAttributes: ['region'] },
  'google-beta': { id: 'gcp', regionAttributes: ['region'] },
  azurerm: { id: 'azure' },
  hcloud: { id: 'hetzner' },
  ovh: { id: 'ovhcloud' },
  scaleway: { id: 'scaleway', regionAttributes: ['region'] },
  stackit: { id: 'stackit', regionAttributes: ['region', 'default_region'] },
  ionoscloud: { id: 'ionos' },
  exoscale: { id: 'exoscale', regionAttributes: ['zone'] },
  upcloud: { id: 'upcloud' },
  opentelekomcloud: { id: 'otc', regionAttributes: ['region'] },
};

/**
 * Providers whose resources stay in the cluster or in the state: Kubernetes
 * objects, Helm releases, random values, keys, times, and `terraform_data`.
 */
export const IN_STATE_PROVIDERS: ReadonlySet<string> = new Set(['kubernetes', 'helm', 'random', 'tls', 'time', 'null', 'terraform']);

/** Resource attributes that name where a resource of a catalogued provider is. */
export const LOCATION_ATTRIBUTES: readonly string[] = ['region', 'location', 'zone'];

/**
 * The provider of a resource or data source: the local name before the alias
 * of its `provider` meta-argument (`aws.eu` → `aws`), else the resource type
 * before the first `_` (`aws_s3_bucket` → `aws`, `terraform_data` → `terraform`).
 */
export function providerOf(type: string, block: Record<string, unknown>): string {
  const meta = block.provider;
  if (typeof meta === 'string' && meta.length > 0) return meta.replace(/^\$\{(.*)\}$/, '$1').split('.')[0];
  return type.split('_')[0];
}

/**
 * Where Terraform downloads a provider from: `https://registry.terraform.io/<ns>/<type>`
 * for `ns/type`, `https://<host>/<ns>/<type>` for `host/ns/type`; a bare
 * `type` (or no source) is `hashicorp/<type>`, as Terraform reads it.
 */
export function providerSourceUrl(name: string, source: string | undefined): string {
  const parts = (source ?? name).trim().split('/').filter(Boolean);
  if (parts.length === 1) return `https://registry.terraform.io/hashicorp/${parts[0].toLowerCase()}`;
  if (parts.length === 2) return `https://registry.terraform.io/${parts.join('/').toLowerCase()}`;
  return `https://${parts.join('/').toLowerCase()}`;
}

/**
 * Where Terraform downloads a module from, normalized:
 *
 * - `./x`, `../x` → `local:<path>`;
 * - a forced getter `git::`, `hg::`, `s3::`, `gcs::`, `http::` is dropped
 *   (`git::https://h/p` → `https://h/p`);
 * - scp-like `git@host:path` → `ssh://git@host/path`;
 * - a URL stays as written;
 * - `ns/name/provider` (optionally `//subdir`) → `https://registry.terraform.io/ns/name/provider`;
 *   `host/ns/name/provider` → `https://host/ns/name/provider`;
 * - any other `host/path` whose first part has a dot (`github.com/x/y`,
 *   `bitbucket.org/x/y`, S3 and GCS hosts) → `https://host/path`.
 *
 * Anything else stays as written, for the resolver to refuse.
 */
export function moduleSourceUrl(source: string): string {
  const trimmed = source.trim();
  if (/^\.\.?[/\\]/.test(trimmed) || trimmed === '.' || trimmed === '..') return `local:${trimmed}`;
  const withoutGetter = trimmed.replace(/^(git|hg|s3|gcs|http|https)::/i, '');
  const scp = /^([A-Za-z0-9._-]+@[A-Za-z0-9.-]+):(?!\d+(?:\/|$))(.+)$/.exec(withoutGetter);
  if (scp && !withoutGetter.includes('://')) return `ssh://${scp[1]}/${scp[2].replace(/^\/+/, '')}`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(withoutGetter)) return withoutGetter;
  const [path] = withoutGetter.split('//');
  const parts = path.split('/').filter(Boolean);
  const registryShape = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
  if (parts.length === 3 && parts.every((p) => registryShape.test(p))) return `https://registry.terraform.io/${withoutGetter}`;
  if (parts.length >= 2 && parts[0].includes('.')) return `https://${withoutGetter}`;
  return trimmed;
}
