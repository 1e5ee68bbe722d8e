/**
 * The keys we set for collabora-online 1.1.60, whose values.yaml is not among
 * the pinned chart files: checked against this list, and against the keys
 * nextcloud 9.2.4 shows for the same chart as its `collabora` subchart.
 */
import { splitPath } from './upstream-charts';

/** Where the chart's values are documented. */
export const COLLABORA_DOCUMENTATION = 'https://github.com/CollaboraOnline/online/tree/master/kubernetes/helm/collabora-online';

/** Every key (or subtree) we set. */
export const COLLABORA_KEYS = [
  'replicaCount',
  'image.repository',
  'autoscaling.enabled',
  'collabora.aliasgroups',
  'collabora.extra_params',
  'collabora.server_name',
  'collabora.existingSecret.enabled',
  'collabora.existingSecret.secretName',
  'collabora.existingSecret.usernameKey',
  'collabora.existingSecret.passwordKey',
  'ingress.enabled',
  'ingress.className',
  'ingress.annotations',
  'ingress.hosts',
  'ingress.tls',
  'resources',
] as const;

/**
 * Dotted keys of nextcloud's `collabora:` block (the subchart's values as
 * nextcloud documents them): its leaves and empty maps, from the key types of
 * nextcloud's values inventory.
 */
export function collaboraKeysInNextcloud(nextcloudValues: Readonly<Record<string, string>>): string[] {
  return Object.entries(nextcloudValues)
    .filter(([path, type]) => path.startsWith('collabora.') && type !== 'object')
    .map(([path]) => splitPath(path).slice(1).join('.'));
}
