/**
 * The map: applications → data stores and sinks → locations, as a Mermaid
 * flowchart that GitHub renders in a pull-request comment. Edges to a
 * location outside the jurisdiction are marked.
 */
import type { ReportPlacement, SovereigntyReport } from './data';

/** Kinds drawn on the map: where data goes. */
const MAPPED = new Set(['database', 'volume', 'bucket', 'backup', 'log-sink', 'metrics-sink', 'state', 'endpoint', 'cluster']);

/** Renders the map; deterministic for the same report. */
export function renderMermaid(report: SovereigntyReport, jurisdiction: readonly string[]): string {
  const inside = new Set(jurisdiction);
  const rows = report.placements.filter((p) => MAPPED.has(p.kind) && !(p.kind === 'endpoint' && p.proof === 'cluster'));
  const id = (prefix: string, text: string) => `${prefix}_${text.replace(/[^A-Za-z0-9]/g, '_')}`;
  const label = (text: string) => text.replace(/["<>]/g, "'").replace(/[[\]{}()|]/g, ' ').replace(/\s+/g, ' ').trim();
  const locationOf = (p: ReportPlacement) => (p.countries.length ? `${p.countries.join(', ')} · ${p.place ?? ''}` : 'unproven');
  const lines = ['flowchart LR'];
  const apps = [...new Set(rows.map((p) => p.app))].sort();
  const stores = new Map<string, ReportPlacement>();
  const locations = new Map<string, { label: string; foreign: boolean }>();
  for (const p of rows) {
    stores.set(id('s', `${p.kind}_${p.owner}_${p.target}`), p);
    const loc = locationOf(p);
    const foreign = p.countries.length === 0 || p.countries.some((c) => !inside.has(c));
    locations.set(id('l', loc), { label: loc, foreign });
  }
  for (const app of apps) lines.push(`  ${id('a', app)}(["${label(app)}"])`);
  for (const [storeId, p] of [...stores].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${storeId}["${label(`${p.kind}: ${p.description}`)}"]`);
  }
  for (const [locationId, loc] of [...locations].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${locationId}{{"${label(loc.label)}"}}`);
  }
  const edges: string[] = [];
  const foreignEdges: number[] = [];
  for (const [storeId, p] of [...stores].sort(([a], [b]) => a.localeCompare(b))) {
    edges.push(`  ${id('a', p.app)} --> ${storeId}`);
    const loc = locations.get(id('l', locationOf(p)));
    if (loc?.foreign) {
      foreignEdges.push(edges.length);
      edges.push(`  ${storeId} -. "${p.countries.length ? 'outside ' + jurisdiction.join('/') : 'unproven'}" .-> ${id('l', locationOf(p))}`);
    } else {
      edges.push(`  ${storeId} --> ${id('l', locationOf(p))}`);
    }
  }
  lines.push(...edges);
  for (const [locationId, loc] of locations) {
    if (loc.foreign) lines.push(`  style ${locationId} fill:#fdd,stroke:#c00,stroke-width:2px`);
  }
  for (const index of foreignEdges) lines.push(`  linkStyle ${index} stroke:#c00,stroke-width:2px`);
  return lines.join('\n');
}
