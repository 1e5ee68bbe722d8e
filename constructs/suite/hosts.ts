/**
 * Host names of the suite: defaults under the base domain, each overridable.
 */
import type { WorkplaceSpec } from '../deployment';

/** Every public host of the suite. */
export interface SuiteHosts {
  readonly identity: string;
  readonly mail: string;
  readonly files: string;
  readonly office: string;
  readonly chat: string;
  readonly matrix: string;
  readonly account: string;
  readonly video: string;
  readonly projects: string;
  readonly wiki: string;
}

const PREFIXES: Readonly<Record<keyof SuiteHosts, string>> = {
  identity: 'id', mail: 'mail', files: 'files', office: 'office', chat: 'chat', matrix: 'matrix', account: 'account',
  video: 'meet', projects: 'projects', wiki: 'wiki',
};

/** `id.<domain>`, `mail.<domain>`, … unless `spec.hosts` overrides them. */
export function suiteHosts(spec: Pick<WorkplaceSpec, 'domain' | 'hosts'>): SuiteHosts {
  const hosts = Object.fromEntries(
    Object.entries(PREFIXES).map(([app, prefix]) => [app, spec.hosts[app as keyof SuiteHosts] ?? `${prefix}.${spec.domain}`]),
  ) as unknown as SuiteHosts;
  const seen = new Map<string, string>();
  for (const [app, host] of Object.entries(hosts)) {
    const other = seen.get(host);
    if (other) {
      throw new Error(`spec.hosts: ${other} and ${app} both use "${host}". Allowed: one host per application. Fix: set spec.hosts.${app} to another name.`);
    }
    seen.set(host, app);
  }
  return hosts;
}
