/**
 * Concrete alternatives for fixes: catalogued regions inside the bounds.
 */
import { regionsWithin } from '../jurisdiction';
import { PlacementKind } from './placement';
import { PolicyContext } from './rule';

const STORAGE_KINDS: readonly PlacementKind[] = ['bucket', 'backup', 'state', 'log-sink', 'metrics-sink'];

/** "e.g. https://fsn1.your-objectstorage.com (hetzner/fsn1), …" or an empty string. */
export function alternatives(kind: PlacementKind, context: PolicyContext, checkOperators: boolean): string {
  const inside = regionsWithin(
    (c) => context.jurisdiction.includes(c),
    (c) => !checkOperators || context.operators.includes(c),
  );
  const wantHosts = STORAGE_KINDS.includes(kind);
  const picks = (wantHosts ? inside.filter((r) => r.host) : inside).slice(0, 3);
  if (picks.length === 0) return '';
  const shown = picks.map((r) => (wantHosts && r.host ? `https://${r.host} (${r.id})` : r.id));
  return `, e.g. ${shown.join(', ')}`;
}

/** "set spec.backup.endpoint to" or "change <description> of <owner> to". */
export function where(field: string | undefined, description: string): string {
  return field ? `set ${field} to` : `point the ${description} to`;
}
