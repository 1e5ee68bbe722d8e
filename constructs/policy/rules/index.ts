import { Rule } from '../rule';
import { dataResidency } from './data-residency';
import { operatorJurisdiction } from './operator-jurisdiction';
import { regionSpan } from './region-span';
import { stateBackend } from './state-backend';
import { supplyChain } from './supply-chain';
import { unprovenLocation } from './unproven-location';

export { dataResidency, operatorJurisdiction, regionSpan, stateBackend, supplyChain, unprovenLocation };

/** The rules every SovereignStack runs, in report order. */
export const ALL_RULES: readonly Rule[] = [
  dataResidency, regionSpan, operatorJurisdiction, unprovenLocation, stateBackend, supplyChain,
];
