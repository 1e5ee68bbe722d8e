/**
 * The names of the settings a fix points at, in the words of whoever wrote
 * the stack: the deployment spec's fields (`spec.locations`), or the props and
 * constructs of a stack written in TypeScript (`new SovereignStack(…, {
 * locations })`). The checks are the same; only the advice is worded for the
 * reader.
 */

/** How a stack is configured, and so how its fixes are worded. */
export interface SettingNames {
  /** `spec`: a deployment spec; `code`: constructs and props in TypeScript. */
  readonly vocabulary: 'spec' | 'code';
  /** Where hosts and address ranges outside the catalogue are declared. */
  readonly locations: string;
  /** How to declare one host or range, e.g. `spec.locations: { "db.example": { country: <code>, operator: <code> } }`. */
  declareLocation(pattern: string, operator?: string): string;
  /** The cluster's pod and Service ranges. */
  readonly clusterRanges: string;
  /** The cluster's location. */
  readonly clusterLocation: string;
  /** The Kubernetes API server that providers and the state backend connect to. */
  readonly apiServer: string;
  /** The certificate authority behind a ClusterIssuer named by reference. */
  readonly issuerServer: string;
  /** The registry mirror every image and chart is pulled through. */
  readonly registryMirror: string;
  /** The network mirror Terraform installs providers from. */
  readonly providerMirror: string;
  /** How a data store gets a backup. */
  readonly backup: string;
  /** Where backups go. */
  readonly backupTarget: string;
  /** How the Terraform state backend is chosen. */
  readonly stateBackend: string;
  /** Where accepted findings are listed. */
  readonly suppressions: string;
}

/** Fixes worded for a deployment spec (YAML or JSON). */
export const SPEC_SETTING_NAMES: SettingNames = {
  vocabulary: 'spec',
  locations: 'spec.locations',
  declareLocation: (pattern, operator = '<code>') => `spec.locations: { "${pattern}": { country: <code>, operator: ${operator} } }`,
  clusterRanges: 'spec.cluster.podCidrs / serviceCidrs',
  clusterLocation: 'spec.cluster.location',
  apiServer: 'spec.cluster.apiServer',
  issuerServer: 'spec.tls.issuerServer',
  registryMirror: 'spec.registry.mirror',
  providerMirror: 'spec.terraform.providerMirror',
  backup: 'spec.backup (the suite backs up every store it creates)',
  backupTarget: 'spec.backup.endpoint',
  stateBackend: 'spec.state.backend',
  suppressions: 'spec.suppressions',
};

/** Fixes worded for a Cluster spec (kind: Cluster), whose cluster fields sit directly under spec. */
export const CLUSTER_SPEC_SETTING_NAMES: SettingNames = {
  ...SPEC_SETTING_NAMES,
  clusterRanges: 'spec.podCidrs / serviceCidrs',
  clusterLocation: 'spec.location',
  apiServer: 'spec.apiServer',
  backup: 'spec.backup (Velero backs up every tenant\'s volumes)',
};

/** Fixes worded for a stack written in TypeScript. */
export const CODE_SETTING_NAMES: SettingNames = {
  vocabulary: 'code',
  locations: 'the locations of new SovereignStack(…, { locations: [...] })',
  declareLocation: (pattern, operator = '<code>') =>
    `new SovereignStack(…, { locations: [{ pattern: '${pattern}', countries: ['<code>'], operator: '${operator}' }] })`,
  clusterRanges: 'new SovereignStack(…, { clusterCidrs: [...] })',
  clusterLocation: "new SovereignStack(…, { clusterLocation: '<provider>/<region>' })",
  apiServer: "the host of the Kubernetes and Helm providers and of the state backend (new ClusterConnection(stack, 'Connection', { apiServer }) sets all three)",
  issuerServer: "new DeclaredIssuer(stack, 'Issuer', { clusterIssuer, server })",
  registryMirror: 'the mirror prop of the constructs (ChartRelease, the apps: { mirror: new RegistryMirror(…) })',
  providerMirror: "new SovereignStack(…, { providerMirror: 'https://…' })",
  backup: "a backup construct: new PostgresCluster(…, { backup }), new VolumeBackups(…) over its namespace, new BucketReplication(…), or a DeclaredPlacement's backups / noBackupReason",
  backupTarget: 'the endpoint of the backup construct (backup.endpoint / target.endpoint)',
  stateBackend: "the stack's backend: new ClusterConnection(stack, 'Connection', { apiServer }) keeps it in the cluster, or an S3Backend",
  suppressions: 'new SovereignStack(…, { suppressions: [...] })',
};

/**
 * The setting a construct's value comes from, in the stack's vocabulary.
 *
 * @example
 * field: settingName(names, 'spec.backup.endpoint', 'new VolumeBackups(…, { target: { endpoint } })')
 */
export function settingName(names: SettingNames, specField: string, codeForm: string): string {
  return names.vocabulary === 'spec' ? specField : codeForm;
}
