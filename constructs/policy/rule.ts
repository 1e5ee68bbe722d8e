/**
 * The shape of a policy rule: a small pure function with an id, an
 * explanation, the EU Cloud Sovereignty Framework objective it evidences and a
 * severity per profile.
 */
import { Jurisdiction, SPEC_SETTING_NAMES, SettingNames } from '../jurisdiction';
import type { Profile } from '../deployment/schema';
import { Placement } from './placement';

export type { Profile };

/** EU Cloud Sovereignty Framework objectives this project can evidence. */
export type Objective = 'SOV-2' | 'SOV-3' | 'SOV-5' | 'SOV-6' | 'SOV-7';

/** How a finding affects synthesis: `error` fails it, `warning` is reported. */
export type Severity = 'error' | 'warning';

/** What a rule judges against. */
export interface PolicyContext {
  /** Where data may physically be. */
  readonly jurisdiction: Jurisdiction;
  /** Whose law may control operators and their parents. */
  readonly operators: Jurisdiction;
  readonly profile: Profile;
  /** How fixes name the settings: the deployment spec's fields, or a stack's props in code. @default SPEC_SETTING_NAMES */
  readonly names?: SettingNames;
}

/** The names fixes use in a context. */
export function settingNames(context: PolicyContext): SettingNames {
  return context.names ?? SPEC_SETTING_NAMES;
}

/** A rule's verdict on one placement. */
export type Outcome =
  | { readonly status: 'compliant' }
  | { readonly status: 'not-applicable' }
  | {
      readonly status: 'non-compliant';
      /** What is wrong, with the countries found. */
      readonly problem: string;
      /** How to fix it. */
      readonly fix: string;
      /** A lower severity than the rule's for this profile (never a higher one). @default - the rule's */
      readonly severity?: Severity;
    };

export const COMPLIANT: Outcome = { status: 'compliant' };
export const NOT_APPLICABLE: Outcome = { status: 'not-applicable' };

/** A non-compliant outcome. */
export function nonCompliant(problem: string, fix: string, severity?: Severity): Outcome {
  return { status: 'non-compliant', problem, fix, ...(severity ? { severity } : {}) };
}

/** A policy rule. */
export interface Rule {
  /** Stable id, e.g. `SD-RESIDENCY`; suppressions name it. */
  readonly id: string;
  /** One line, e.g. "Data stays in the jurisdiction". */
  readonly title: string;
  /** Why the rule exists, for reports. */
  readonly explanation: string;
  readonly objective: Objective;
  /** Severity per profile; `off` means the rule is not evaluated. */
  readonly severity: Readonly<Record<Profile, Severity | 'off'>>;
  readonly check: (placement: Placement, context: PolicyContext) => Outcome;
}
