/**
 * The keys we set for collabora-online 1.1.60, whose values.yaml is not among
 * the pinned chart files: checked against this list, and against the keys
 * nextcloud 9.2.4 shows for the same chart as its `collabora` subchart.
 */
import { Values, isValues } from '../../constructs/platform';

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

/** Dotted keys of nextcloud's `collabora:` block (the subchart's values as nextcloud documents them). */
export function collaboraKeysInNextcloud(nextcloudValues: Values): string[] {
  const block = nextcloudValues.collabora;
  const keys: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    if (isValues(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else {
      keys.push(prefix);
    }
  };
  walk(block, '');
  return keys;
}
