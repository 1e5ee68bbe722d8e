/**
 * An indicative EU Cloud Sovereignty Framework view: for the objectives the
 * infrastructure code can evidence, the evidence found and an indicative SEAL
 * level. It is not a certification and says so.
 */
import { EU_COUNTRIES } from '../jurisdiction';
import type { PolicyResult } from '../policy/engine';
import { Placement, SUPPLY_CHAIN_KINDS } from '../policy/placement';

/** The framework's eight objectives. */
export const OBJECTIVES = {
  'SOV-1': 'Strategic',
  'SOV-2': 'Legal & jurisdictional',
  'SOV-3': 'Data & AI',
  'SOV-4': 'Operational',
  'SOV-5': 'Supply chain',
  'SOV-6': 'Technology',
  'SOV-7': 'Security & compliance',
  'SOV-8': 'Environmental sustainability',
} as const;
export type ObjectiveId = keyof typeof OBJECTIVES;

/** Weights per objective (any positive numbers; they are normalised over the evidenced objectives). */
export type FrameworkWeights = Readonly<Partial<Record<ObjectiveId, number>>>;

/** Default weights and where they come from. */
export const DEFAULT_WEIGHTS: Readonly<Record<ObjectiveId, number>> = {
  'SOV-1': 20, 'SOV-2': 10, 'SOV-3': 10, 'SOV-4': 15, 'SOV-5': 10, 'SOV-6': 15, 'SOV-7': 15, 'SOV-8': 5,
};
export const DEFAULT_WEIGHTS_SOURCE =
  'EU Cloud Sovereignty Framework calculator, June 2026 (SOV-1..8: 20/10/10/15/10/15/15/5 %); another published set is 15/10/10/15/20/15/10/5';

/** SEAL-0 (no sovereignty) to SEAL-4 (full digital sovereignty). */
export type Seal = 0 | 1 | 2 | 3 | 4;

export interface ObjectiveView {
  readonly id: ObjectiveId;
  readonly name: string;
  readonly weight: number;
  /** Undefined when the code cannot evidence this objective. */
  readonly seal?: Seal;
  readonly evidence: readonly string[];
}

export interface FrameworkView {
  readonly disclaimer: string;
  readonly weightsSource: string;
  readonly objectives: readonly ObjectiveView[];
  /** The weakest evidenced objective's level (the framework's overall SEAL). */
  readonly overallSeal: Seal;
  /** Weighted score over the evidenced objectives, 0-100. */
  readonly score: number;
}

const EU = new Set<string>(EU_COUNTRIES);
const isEu = (c: string) => EU.has(c);

/** Component licences, for SOV-6; supplied by whoever knows the components. */
export interface ComponentLicence {
  readonly name: string;
  readonly license: string;
}

/** Builds the indicative view. */
export function frameworkView(result: PolicyResult, weights: FrameworkWeights = DEFAULT_WEIGHTS, components?: readonly ComponentLicence[]): FrameworkView {
  const data = result.placements.filter((p) => !SUPPLY_CHAIN_KINDS.includes(p.kind));
  const supply = result.placements.filter((p) => SUPPLY_CHAIN_KINDS.includes(p.kind));
  const ruleHits = (id: string) => [...result.findings, ...result.suppressed].filter((f) => f.ruleId === id).length;
  const views: ObjectiveView[] = (Object.keys(OBJECTIVES) as ObjectiveId[]).map((id) => {
    const weight = weights[id] ?? DEFAULT_WEIGHTS[id];
    const assessed = assess(id, data, supply, ruleHits, components);
    return { id, name: OBJECTIVES[id], weight, ...assessed };
  });
  const evidenced = views.filter((v) => v.seal !== undefined);
  const total = evidenced.reduce((sum, v) => sum + v.weight, 0);
  const score = total === 0 ? 0 : Math.round((100 * evidenced.reduce((sum, v) => sum + (v.weight * (v.seal ?? 0)) / 4, 0)) / total);
  return {
    disclaimer: 'Indicative only: what this infrastructure code evidences, not a certification and not an assessment of the providers.',
    weightsSource: weights === DEFAULT_WEIGHTS ? DEFAULT_WEIGHTS_SOURCE : 'weights set in the deployment spec',
    objectives: views,
    overallSeal: Math.min(...evidenced.map((v) => v.seal ?? 0)) as Seal,
    score,
  };
}

function share(items: readonly Placement[], test: (p: Placement) => boolean): number {
  return items.length === 0 ? 0 : items.filter(test).length / items.length;
}

const located = (p: Placement) => (p.resolution.status === 'resolved' ? p.resolution.location : undefined);
const unproven = (items: readonly Placement[]) => items.filter((p) => !located(p)).length;

function assess(
  id: ObjectiveId,
  data: readonly Placement[],
  supply: readonly Placement[],
  ruleHits: (id: string) => number,
  components: readonly ComponentLicence[] | undefined,
): { seal?: Seal; evidence: string[] } {
  switch (id) {
    case 'SOV-2': {
      const foreignOperator = share(data, (p) => !!located(p) && !isEu(located(p)!.operator));
      const foreignParent = share(data, (p) => !!located(p) && !isEu(located(p)!.parent));
      const seal: Seal = foreignOperator > 0.5 ? 0 : foreignOperator > 0 ? 1 : foreignParent > 0 ? 2 : 4;
      return {
        seal: capped(seal, unproven(data)),
        evidence: [
          `${data.length - Math.round(foreignOperator * data.length)} of ${data.length} data placements run by EU operators`,
          `${data.length - Math.round(foreignParent * data.length)} of ${data.length} with an EU ultimate parent`,
          ...(unproven(data) ? [`${unproven(data)} placements with no proven location`] : []),
        ],
      };
    }
    case 'SOV-3': {
      const abroad = share(data, (p) => !!located(p) && !located(p)!.countries.every(isEu));
      const backupGaps = ruleHits('SD-BACKUP');
      const seal: Seal = abroad > 0.5 ? 0 : abroad > 0 ? 1 : backupGaps > 0 ? 3 : 4;
      return {
        seal: capped(seal, unproven(data)),
        evidence: [
          `${data.length - Math.round(abroad * data.length)} of ${data.length} data placements physically in the EU`,
          backupGaps ? `${backupGaps} data stores without a backup in the jurisdiction` : 'every data store backed up inside the jurisdiction',
        ],
      };
    }
    case 'SOV-5': {
      const foreign = share(supply, (p) => !!located(p) && !(located(p)!.countries.every(isEu) && isEu(located(p)!.operator) && isEu(located(p)!.parent)));
      const seal: Seal = supply.length === 0 ? 3 : foreign > 0.5 ? 1 : foreign > 0 ? 2 : 4;
      return {
        seal: capped(seal, unproven(supply)),
        evidence: [`${supply.length - Math.round(foreign * supply.length)} of ${supply.length} image registries and chart repositories in the EU under EU operators`],
      };
    }
    case 'SOV-6': {
      if (!components || components.length === 0) return { evidence: ['no component list supplied'] };
      const open = components.filter((c) => OPEN_LICENSES.has(c.license));
      return {
        seal: open.length === components.length ? 4 : open.length > components.length / 2 ? 2 : 1,
        evidence: [`${open.length} of ${components.length} components under open-source licences (${[...new Set(components.map((c) => c.license))].sort().join(', ')})`],
      };
    }
    case 'SOV-7': {
      const calls = ruleHits('SD-PHONE-HOME');
      const blind = ruleHits('SD-UNPROVEN');
      return {
        seal: calls + blind === 0 ? 3 : 1,
        evidence: [
          calls ? `${calls} calls home to vendors` : 'no known call home enabled',
          blind ? `${blind} endpoints with no proven location` : 'every endpoint located',
          'security operations and certifications are outside what code can evidence (at most SEAL-3 here)',
        ],
      };
    }
    default:
      return { evidence: ['not evidenced by infrastructure code'] };
  }
}

const OPEN_LICENSES = new Set(['Apache-2.0', 'MIT', 'BSD-3-Clause', 'AGPL-3.0', 'AGPL-3.0-only', 'GPL-3.0-only', 'MPL-2.0', 'LGPL-2.1']);

function capped(seal: Seal, unprovenCount: number): Seal {
  return (unprovenCount > 0 ? Math.min(seal, 1) : seal) as Seal;
}
