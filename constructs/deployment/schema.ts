/**
 * The deployment spec (`apiVersion: sovereign-desk/v1`, `kind: Workplace`).
 *
 * This is a contract: field names are public API. Unknown fields are errors so
 * that a typo is never silently ignored.
 */
import { z } from 'zod';
import { cidr, country, countries, cronSchedule, fail, hostName, jurisdiction, pattern, url } from './fields';
import { refuseWideEgress } from './egress-ranges';
import { constructPath, suppressionReason } from './suppression-fields';

/** The applications of the suite. */
export const APPS = ['identity', 'mail', 'files', 'office', 'chat', 'video', 'projects', 'wiki'] as const;
export type AppName = (typeof APPS)[number];
/**
 * The apps of a spec that lists none: the first five, as before video,
 * projects and wiki existed, so that an existing spec keeps what it deploys
 * (video needs spec.video). The embedded default lists all eight.
 */
export const DEFAULT_APPS: readonly AppName[] = ['identity', 'mail', 'files', 'office', 'chat'];

/** How strictly placements are judged. */
export const PROFILES = ['residency', 'sovereign', 'strict'] as const;
export type Profile = (typeof PROFILES)[number];

const https = url(['https'], 'https://fsn1.your-objectstorage.com');

const clusterSchema = z.strictObject({
  /** `provider/region` from the catalogue, or a host declared in `spec.locations`. */
  location: z.string().min(1),
  /**
   * URL of the cluster's API server. Written as the providers' and the state
   * backend's `host`, so the cluster Terraform reaches is the one proven;
   * without it the kubeconfig decides at apply time, which is unproven.
   */
  apiServer: url(['https'], 'https://api.k8s.agency.example:6443').optional(),
  /** Path of the kubeconfig file (credentials; the server is apiServer when set). */
  kubeconfig: z.string().min(1).optional(),
  /** Context in the kubeconfig. */
  context: z.string().min(1).optional(),
  /** The CNI: with cilium, egress to external endpoints is allowed by host name (toFQDNs). */
  cni: z.enum(['cilium', 'other']).default('other'),
  /** Address ranges of the Kubernetes API server, for the pods that must reach it. */
  apiServerCidrs: z.array(cidr).optional(),
  /** The cluster's pod address ranges: IP literals in them are in the cluster. */
  podCidrs: z.array(cidr).optional(),
  /** The cluster's Service address ranges: IP literals in them are in the cluster. */
  serviceCidrs: z.array(cidr).optional(),
});

const egressSchema = z.strictObject({
  /** Address ranges per external host, for NetworkPolicy egress rules (standard NetworkPolicy cannot match host names). */
  cidrs: z.record(pattern(/^[a-z0-9.-]+$/, 'not a host name', 'a lower-case host such as fsn1.your-objectstorage.com'), z.array(cidr).min(1))
    .superRefine(refuseWideEgress).default({}),
});

const k8sName = pattern(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, 'not a Kubernetes resource name', 'lower-case letters, digits, dots and dashes');

const objectStorageSchema = z.strictObject({
  endpoint: https,
  region: z.string().min(1).optional(),
  /** Bucket of the files app. */
  bucket: pattern(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'not a valid bucket name',
    '3-63 lower-case letters, digits, dots and dashes, starting and ending with a letter or digit').optional(),
  /** Kubernetes Secret (keys access-key, secret-key) in each namespace that uses the store. */
  credentialsSecret: k8sName.default('desk-object-storage'),
  /** How the bucket is backed up: replicated to spec.backup, or declared the primary copy (with a reason). */
  backup: z.discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('replicate') }),
    z.strictObject({ mode: z.literal('primary'), reason: z.string().trim().min(10, { message: 'a reason of at least 10 characters is required' }) }),
  ]).default({ mode: 'replicate' }),
});

const bucketName = pattern(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'not a valid bucket name', '3-63 lower-case letters, digits, dots and dashes, starting and ending with a letter or digit');

const backupSchema = z.strictObject({
  endpoint: https,
  bucket: bucketName,
  schedule: cronSchedule.default('0 2 * * *'),
  retentionDays: z.number().int().min(1).max(3650).default(30),
  region: z.string().min(1).optional(),
  /** Secret with keys ACCESS_KEY_ID and ACCESS_SECRET_KEY (and `cloud` for Velero), in each namespace that backs up. */
  credentialsSecret: k8sName.default('desk-backup'),
});

/** How logs are shipped. */
export const LOG_OUTPUTS = ['loki', 'opentelemetry', 'http'] as const;
export type LogOutput = (typeof LOG_OUTPUTS)[number];

const loggingSchema = z.strictObject({
  endpoint: https,
  /** Protocol of the sink. */
  output: z.enum(LOG_OUTPUTS).default('loki'),
  /** Secret with keys username and password for the sink, in the logging namespace. */
  credentialsSecret: k8sName.optional(),
});

const mailSchema = z.strictObject({
  relay: url(['smtp', 'smtps'], 'smtp://relay.agency.example:587').optional(),
  /** Kubernetes Secret (keys username, password) for the relay, in the mail namespace. */
  relayCredentialsSecret: k8sName.optional(),
  /** Domain of the mail addresses. */
  domain: hostName.optional(),
  /** ClamAV signature mirror; without it freshclam asks the vendor's mirrors. */
  clamavMirror: https.optional(),
});

const ingressSchema = z.strictObject({
  /** IngressClass of an existing controller. */
  className: k8sName.default('traefik'),
  /** Install Traefik into the cluster as that class. */
  install: z.boolean().default(false),
  /** Namespace of the ingress controller's pods, allowed through the NetworkPolicies. */
  namespace: k8sName.default('traefik'),
});

const hostsSchema = z.strictObject({
  identity: hostName.optional(),
  mail: hostName.optional(),
  files: hostName.optional(),
  office: hostName.optional(),
  chat: hostName.optional(),
  matrix: hostName.optional(),
  account: hostName.optional(),
  video: hostName.optional(),
  projects: hostName.optional(),
  wiki: hostName.optional(),
});

const ipv4 = pattern(/^(?!(0|127)\.|169\.254\.|(22[4-9]|2[3-5]\d)\.)(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/,
  'not a reachable IPv4 address in dotted decimal', 'the public IPv4 address of the load balancer (not loopback, unspecified, link-local or multicast), e.g. 192.0.2.10');

const videoSchema = z.strictObject({
  /** Public IPv4 of the load balancer that publishes the bridge (UDP 10000) and TURN (UDP 3478): a placement, declare it in spec.locations. */
  publicAddress: ipv4,
  /** Host name clients use for TURN. @default - publicAddress */
  turnHost: hostName.optional(),
  /** Guests may join a room by its link once a signed-in user has opened it. */
  guests: z.boolean().default(true),
});

const wikiSchema = z.strictObject({
  /** Maven repository mirror XWiki installs extensions from; without it, XWiki's own repositories (calls home). */
  extensionRepository: https.optional(),
});

const monitoringSchema = z.strictObject({
  /** Prometheus remote-write endpoint of the metrics sink (https). */
  endpoint: https,
  /** Secret with keys username and password for the sink, in the metrics namespace. */
  credentialsSecret: k8sName.optional(),
});

const tlsSchema = z
  .strictObject({
    acme: https.optional(),
    email: z.email().optional(),
    issuer: k8sName.optional(),
    /**
     * With `issuer`: the certificate authority that ClusterIssuer uses — its ACME
     * directory or Vault URL, or `in-cluster` for a CA or self-signed issuer whose
     * keys stay in the cluster. Without it the CA is unproven.
     */
    issuerServer: z.union([z.literal('in-cluster'), https]).optional(),
  })
  .superRefine((tls, ctx) => {
    if ((tls.acme === undefined) === (tls.issuer === undefined)) {
      fail(ctx, 'set exactly one of acme and issuer', 'acme: <ACME directory URL> or issuer: <existing ClusterIssuer name>',
        'e.g. tls: { acme: https://acme.agency.example/directory }');
    }
    if (tls.issuerServer !== undefined && tls.issuer === undefined) {
      fail(ctx, 'issuerServer describes an existing ClusterIssuer, but issuer is not set', 'issuerServer only together with issuer',
        'remove issuerServer, or set issuer to the ClusterIssuer it describes');
    }
  });

const registrySchema = z.strictObject({
  mirror: pattern(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/, 'not a registry host with an optional path', 'host[:port][/path], e.g. registry.agency.example/desk (no scheme)').optional(),
});

const terraformSchema = z.strictObject({
  /**
   * The provider mirror Terraform installs providers from (a network mirror set
   * in the CLI configuration's provider_installation block). Without it,
   * providers come from registry.terraform.io.
   */
  providerMirror: https.optional(),
});

const stateSchema = z.discriminatedUnion('backend', [
  z.strictObject({
    backend: z.literal('kubernetes'),
    namespace: z.string().min(1).default('desk-system'),
    secretSuffix: pattern(/^[a-z0-9-]+$/, 'not a valid Secret name suffix', 'lower-case letters, digits and dashes').optional(),
  }),
  z.strictObject({
    backend: z.literal('local'),
    path: z.string().min(1).optional(),
  }),
  z.strictObject({
    backend: z.literal('s3'),
    endpoint: https,
    bucket: bucketName,
    key: z.string().min(1).optional(),
    region: z.string().min(1).optional(),
  }),
]);

const declarationSchema = z.strictObject({
  country: countries,
  operator: country,
  parent: country.optional(),
});

const suppressionSchema = z.strictObject({
  rule: z.string().min(1),
  /** Why the finding is accepted: at least 10 letters. */
  reason: suppressionReason,
  /** Only findings of this construct and the ones below it, by whole path segments. */
  path: constructPath.optional(),
});

/** How large the suite is (constructs/platform/sizing.ts, docs/sizing.md). */
export const SIZES = ['small', 'medium', 'large'] as const;

export const specSchema = z.strictObject({
  jurisdiction,
  profile: z.enum(PROFILES).default('sovereign'),
  operators: jurisdiction.optional(),
  domain: hostName,
  cluster: clusterSchema,
  ingress: ingressSchema.default({ className: 'traefik', install: false, namespace: 'traefik' }),
  hosts: hostsSchema.default({}),
  apps: z.array(z.enum(APPS)).default([...DEFAULT_APPS]),
  /** Replicas, CPU and memory of every component: small (500 users), medium (2,500), large (10,000). */
  size: z.enum(SIZES).default('small'),
  objectStorage: objectStorageSchema.optional(),
  backup: backupSchema.optional(),
  logging: loggingSchema.optional(),
  /** Metrics of the suite's components, remote-written to a sink (none leave the cluster without it). */
  monitoring: monitoringSchema.optional(),
  /** The video app (Jitsi Meet): needed when spec.apps has video. */
  video: videoSchema.optional(),
  /** The wiki app (XWiki). */
  wiki: wikiSchema.optional(),
  mail: mailSchema.optional(),
  tls: tlsSchema,
  registry: registrySchema.optional(),
  egress: egressSchema.default({ cidrs: {} }),
  state: stateSchema.default({ backend: 'kubernetes', namespace: 'desk-system' }),
  terraform: terraformSchema.default({}),
  /** The sovereignty report: EU Cloud Sovereignty Framework weights per objective. */
  report: z.strictObject({
    weights: z.partialRecord(z.enum(['SOV-1', 'SOV-2', 'SOV-3', 'SOV-4', 'SOV-5', 'SOV-6', 'SOV-7', 'SOV-8']), z.number().min(0).max(100)).optional(),
  }).optional(),
  locations: z.record(pattern(/^(\*\.)?[a-z0-9.-]+$|^[0-9a-f.:]+\/\d{1,3}$/, 'not a host, *.domain pattern or address range',
    'a lower-case host such as logs.agency.example, *.agency.example, or an address range such as 192.0.2.0/24'), declarationSchema).default({}),
  suppressions: z.array(suppressionSchema).default([]),
});

/** The name of a stack: a Workplace's or a Cluster's metadata.name, and a Workplace's spec.cluster.ref. */
export const stackName = pattern(/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/, 'not a valid stack name', '1-40 lower-case letters, digits and dashes, starting with a letter');

const metadataSchema = z.strictObject({ name: stackName });

export const deploymentSchema = z.strictObject({
  apiVersion: z.literal('sovereign-desk/v1'),
  kind: z.literal('Workplace'),
  metadata: metadataSchema,
  spec: specSchema,
});

/**
 * The fields of a Workplace that a shared cluster provides: on a shared
 * cluster (`spec.cluster: { ref }`) they come from the Cluster's spec, and a
 * tenant that sets one is refused. Keys are the tenant's fields, values the
 * Cluster's.
 */
export const CLUSTER_WIDE_FIELDS: Readonly<Record<string, string>> = {
  'spec.ingress': 'spec.ingress',
  'spec.tls': 'spec.tls',
  'spec.registry': 'spec.registry',
  'spec.logging': 'spec.logging',
  'spec.monitoring': 'spec.monitoring',
};

/**
 * A Workplace on a shared cluster: `spec.cluster: { ref: <Cluster name> }`.
 * The cluster-wide services (CLUSTER_WIDE_FIELDS) come from the Cluster; the
 * tenant keeps its own backup (its databases' PITR and bucket copies),
 * objectStorage, mail, apps, hosts, domain, locations and suppressions.
 */
export const tenantSpecSchema = specSchema.omit({ ingress: true, tls: true, registry: true, logging: true, monitoring: true }).extend({
  cluster: z.strictObject({ ref: stackName }),
});

export const tenantDeploymentSchema = z.strictObject({
  apiVersion: z.literal('sovereign-desk/v1'),
  kind: z.literal('Workplace'),
  metadata: metadataSchema,
  spec: tenantSpecSchema,
});

/**
 * A shared cluster (`kind: Cluster`) and the cluster-wide platform installed
 * once on it: the CloudNativePG operator, cert-manager (with spec.tls.acme),
 * Traefik (with spec.ingress.install), Velero (with spec.backup), the log
 * shipper (spec.logging) and the metrics agent (spec.monitoring). Workplaces
 * name it with `spec.cluster: { ref: <metadata.name> }`.
 */
export const clusterSpecSchema = z.strictObject({
  /** Bounds of the cluster's own placements. */
  jurisdiction,
  operators: jurisdiction.optional(),
  profile: z.enum(PROFILES).default('sovereign'),
  /** As a Workplace's spec.cluster.location. */
  location: z.string().min(1),
  apiServer: clusterSchema.shape.apiServer,
  kubeconfig: clusterSchema.shape.kubeconfig,
  context: clusterSchema.shape.context,
  cni: clusterSchema.shape.cni,
  apiServerCidrs: clusterSchema.shape.apiServerCidrs,
  podCidrs: clusterSchema.shape.podCidrs,
  serviceCidrs: clusterSchema.shape.serviceCidrs,
  ingress: ingressSchema.default({ className: 'traefik', install: false, namespace: 'traefik' }),
  /** Volume backups of every tenant (Velero). */
  backup: backupSchema.optional(),
  /** The cluster's log shipper: every tenant's logs go there. */
  logging: loggingSchema.optional(),
  /** The cluster's metrics agent: every tenant's database metrics go there. */
  monitoring: monitoringSchema.optional(),
  tls: tlsSchema,
  registry: registrySchema.optional(),
  egress: egressSchema.default({ cidrs: {} }),
  state: stateSchema.default({ backend: 'kubernetes', namespace: 'desk-system' }),
  terraform: terraformSchema.default({}),
  report: specSchema.shape.report,
  locations: specSchema.shape.locations,
  suppressions: z.array(suppressionSchema).default([]),
});

export const clusterDeploymentSchema = z.strictObject({
  apiVersion: z.literal('sovereign-desk/v1'),
  kind: z.literal('Cluster'),
  metadata: metadataSchema,
  spec: clusterSpecSchema,
});

/** The kinds of document a deployment folder holds. */
export const DOCUMENT_KINDS = ['Workplace', 'Cluster'] as const;

/** A validated deployment spec with defaults applied. */
/**
 * A valid value for each required field, shown when the field is missing.
 * Keys are field paths with list indexes as `[]` and map keys as `*`.
 */
export const REQUIRED_EXAMPLES: Readonly<Record<string, string>> = {
  apiVersion: 'sovereign-desk/v1',
  kind: 'Workplace',
  metadata: '{ name: agency-de }',
  'metadata.name': 'agency-de',
  spec: '(see stacks/default-deployment.yaml)',
  'spec.jurisdiction': 'DE',
  'spec.domain': 'desk.agency.example',
  'spec.cluster': '{ location: stackit/eu01 }',
  'spec.cluster.location': 'stackit/eu01',
  'spec.tls': '{ acme: https://acme.agency.example/directory }',
  'spec.objectStorage.endpoint': 'https://object.storage.eu01.onstackit.cloud',
  'spec.backup.endpoint': 'https://fsn1.your-objectstorage.com',
  'spec.backup.bucket': 'agency-de-backups',
  'spec.logging.endpoint': 'https://logs.agency.example',
  'spec.monitoring.endpoint': 'https://metrics.agency.example/api/v1/write',
  'spec.video.publicAddress': '192.0.2.10',
  'spec.state.endpoint': 'https://fsn1.your-objectstorage.com',
  'spec.state.bucket': 'agency-de-state',
  'spec.locations.*.country': 'DE',
  'spec.locations.*.operator': 'DE',
  'spec.suppressions[].rule': 'SD-SUPPLY-CHAIN',
  'spec.suppressions[].reason': 'images are mirrored by the platform team (ticket OPS-42)',
};

/** The example of a required field at `path`, if there is one. */
export function requiredExample(path: readonly PropertyKey[]): string | undefined {
  const key = path.reduce<string>((text, part, index) => {
    if (typeof part === 'number') return `${text}[]`;
    const name = path[index - 1] === 'locations' && path[index - 2] === 'spec' ? '*' : String(part);
    return text ? `${text}.${name}` : name;
  }, '');
  return REQUIRED_EXAMPLES[key];
}

export type Deployment = z.output<typeof deploymentSchema>;
/** A Workplace on a shared cluster, as written (before its Cluster's services are filled in). */
export type TenantDeployment = z.output<typeof tenantDeploymentSchema>;
/** A validated Cluster document with defaults applied. */
export type ClusterDeployment = z.output<typeof clusterDeploymentSchema>;
export type ClusterSpec = ClusterDeployment['spec'];
/** What a user writes. */
export type DeploymentInput = z.input<typeof deploymentSchema>;
export type WorkplaceSpec = Deployment['spec'];
export type StateSpec = WorkplaceSpec['state'];
