import { Rule } from '../rule';
import { backupCoverage } from './backup-coverage';
import { dataResidency } from './data-residency';
import { exec } from './exec';
import { operatorJurisdiction } from './operator-jurisdiction';
import { phoneHome } from './phone-home';
import { regionSpan } from './region-span';
import { stateBackend } from './state-backend';
import { supplyChain } from './supply-chain';
import { unpolicedStack } from './unpoliced-stack';
import { unprovenLocation } from './unproven-location';

export { backupCoverage, dataResidency, exec, operatorJurisdiction, phoneHome, regionSpan, stateBackend, supplyChain, unpolicedStack, unprovenLocation };

/** The rules every SovereignStack runs, in report order. */
export const ALL_RULES: readonly Rule[] = [
  dataResidency, regionSpan, operatorJurisdiction, unprovenLocation, stateBackend, backupCoverage, phoneHome, supplyChain,
  exec, unpolicedStack,
];
