/**
 * The capacity section of the report: what the deployment asks of the
 * cluster — CPU and memory requests and limits, volumes, the ports the load
 * balancer publishes — per app and in total, and the change between two
 * reports ("+6 vCPU, +12 GiB").
 */

/** One component's capacity, as a construct declared it. */
export interface CapacityEntry {
  readonly app: string;
  readonly component: string;
  /** The declaring construct's path below the stack. */
  readonly owner: string;
  readonly replicas: number | 'per-node';
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
  readonly volumeGiB?: number;
  /** A volume all replicas share, counted once. */
  readonly sharedVolumeGiB?: number;
  readonly ports?: readonly { readonly port: number; readonly protocol: 'TCP' | 'UDP'; readonly purpose: string }[];
  readonly singleReplicaReason?: string;
}

/** Sums in the units the report shows. */
export interface CapacityTotals {
  /** CPU in millicores. */
  readonly cpuRequests: number;
  readonly cpuLimits: number;
  /** Memory in MiB. */
  readonly memoryRequests: number;
  readonly memoryLimits: number;
  readonly volumeGiB: number;
  /** Per node, for DaemonSets: added once for every node of the cluster. */
  readonly perNode: { readonly cpuRequests: number; readonly memoryRequests: number };
}

/** The capacity of a stack: per app, in total, and the published ports. */
export interface Capacity {
  readonly apps: readonly ({ readonly app: string } & CapacityTotals)[];
  readonly total: CapacityTotals;
  readonly ports: readonly { readonly port: number; readonly protocol: 'TCP' | 'UDP'; readonly purpose: string; readonly app: string }[];
  readonly components: readonly CapacityEntry[];
}

/** Millicores of a Kubernetes CPU quantity (`500m`, `2`, `0.5`). */
export function millicores(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity.trim());
  if (!m) throw new Error(`"${quantity}" is not a CPU quantity. Allowed: millicores such as 500m, or cores such as 2 or 0.5.`);
  return m[2] ? Number(m[1]) : Math.round(Number(m[1]) * 1000);
}

const MEMORY_UNITS: Readonly<Record<string, number>> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024, K: 1000 / 1048576, M: 1e6 / 1048576, G: 1e9 / 1048576 };

/** MiB of a Kubernetes memory quantity (`512Mi`, `2Gi`, `1536Mi`). */
export function mebibytes(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G)$/.exec(quantity.trim());
  if (!m) throw new Error(`"${quantity}" is not a memory quantity. Allowed: a number with Ki, Mi, Gi or Ti (or K, M, G), such as 512Mi or 2Gi.`);
  return Number(m[1]) * MEMORY_UNITS[m[2]];
}

function totals(entries: readonly CapacityEntry[]): CapacityTotals {
  const counted = entries.filter((e) => e.replicas !== 'per-node');
  const perNode = entries.filter((e) => e.replicas === 'per-node');
  const sum = (list: readonly CapacityEntry[], value: (e: CapacityEntry) => number) =>
    list.reduce((total, e) => total + value(e) * (e.replicas === 'per-node' ? 1 : e.replicas), 0);
  return {
    cpuRequests: sum(counted, (e) => millicores(e.requests.cpu)),
    cpuLimits: sum(counted, (e) => millicores(e.limits?.cpu ?? e.requests.cpu)),
    memoryRequests: sum(counted, (e) => mebibytes(e.requests.memory)),
    memoryLimits: sum(counted, (e) => mebibytes(e.limits?.memory ?? e.requests.memory)),
    volumeGiB: sum(counted, (e) => e.volumeGiB ?? 0) + counted.reduce((total, e) => total + (e.sharedVolumeGiB ?? 0), 0),
    perNode: { cpuRequests: sum(perNode, (e) => millicores(e.requests.cpu)), memoryRequests: sum(perNode, (e) => mebibytes(e.requests.memory)) },
  };
}

/** Adds up the declared components, per app (sorted) and in total. A component without a CPU or memory limit counts its request as its limit. */
export function capacityOf(entries: readonly CapacityEntry[]): Capacity {
  const components = [...entries].sort((a, b) => a.app.localeCompare(b.app) || a.owner.localeCompare(b.owner));
  const apps = [...new Set(components.map((e) => e.app))].map((app) => ({ app, ...totals(components.filter((e) => e.app === app)) }));
  const ports = components.flatMap((e) => (e.ports ?? []).map((p) => ({ ...p, app: e.app })))
    .sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
  return { apps, total: totals(components), ports, components };
}

/** `2.5 vCPU` from millicores. */
export function formatCpu(millis: number): string {
  return `${Number((millis / 1000).toFixed(2))} vCPU`;
}

/** `3 GiB` or `512 MiB` from MiB. */
export function formatMemory(mib: number): string {
  return mib >= 1024 ? `${Number((mib / 1024).toFixed(2))} GiB` : `${Number(mib.toFixed(0))} MiB`;
}

/** The Markdown of the capacity section. */
export function renderCapacity(capacity: Capacity): string[] {
  if (capacity.components.length === 0) return ['## Capacity', '', 'No component declares its capacity.', ''];
  const row = (name: string, t: CapacityTotals) =>
    `| ${name} | ${formatCpu(t.cpuRequests)} | ${formatCpu(t.cpuLimits)} | ${formatMemory(t.memoryRequests)} | ${formatMemory(t.memoryLimits)} | ${t.volumeGiB} GiB |`;
  const lines = [
    '## Capacity', '',
    'What the deployment asks of the cluster (replicas × per-replica figures; a request without a limit counts as its own limit).', '',
    '| app | CPU requests | CPU limits | memory requests | memory limits | volumes |',
    '|---|---:|---:|---:|---:|---:|',
    ...capacity.apps.map((a) => row(a.app, a)),
    row('**total**', capacity.total),
    '',
  ];
  const perNode = capacity.total.perNode;
  if (perNode.cpuRequests > 0 || perNode.memoryRequests > 0) {
    lines.push(`Besides, on every node: ${formatCpu(perNode.cpuRequests)} and ${formatMemory(perNode.memoryRequests)} requested by DaemonSets.`, '');
  }
  if (capacity.ports.length > 0) {
    lines.push('The load balancer publishes: ' + capacity.ports.map((p) => `${p.port}/${p.protocol} (${p.purpose}, ${p.app})`).join(', ') + '.', '');
  }
  const single = capacity.components.filter((c) => c.singleReplicaReason);
  if (single.length > 0) {
    lines.push('Single replica at every size:', '', ...single.map((c) => `- ${c.component} (${c.app}): ${c.singleReplicaReason}`), '');
  }
  return lines;
}

/** The change between two capacities, e.g. `+6 vCPU requests, +12 GiB memory requests, +20 GiB volumes`; `no change` when equal. */
export function capacityDelta(base: Capacity | undefined, head: Capacity | undefined): string {
  const zero = capacityOf([]).total;
  const b = base?.total ?? zero;
  const h = head?.total ?? zero;
  const signed = (value: number, format: (v: number) => string) => `${value > 0 ? '+' : '−'}${format(Math.abs(value))}`;
  const parts = [
    h.cpuRequests !== b.cpuRequests ? `${signed(h.cpuRequests - b.cpuRequests, formatCpu)} requests` : undefined,
    h.memoryRequests !== b.memoryRequests ? `${signed(h.memoryRequests - b.memoryRequests, formatMemory)} memory requests` : undefined,
    h.cpuLimits !== b.cpuLimits ? `${signed(h.cpuLimits - b.cpuLimits, formatCpu)} limits` : undefined,
    h.memoryLimits !== b.memoryLimits ? `${signed(h.memoryLimits - b.memoryLimits, formatMemory)} memory limits` : undefined,
    h.volumeGiB !== b.volumeGiB ? `${signed(h.volumeGiB - b.volumeGiB, (v) => `${v} GiB`)} volumes` : undefined,
  ].filter((p): p is string => p !== undefined);
  return parts.length ? parts.join(', ') : 'no change';
}
