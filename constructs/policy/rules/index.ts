import { Rule } from '../rule';
import { backupCoverage } from './backup-coverage';
import { dataResidency } from './data-residency';
import { exec } from './exec';
import { keyCustody } from './key-custody';
import { operatorJurisdiction } from './operator-jurisdiction';
import { phoneHome } from './phone-home';
import { regionSpan } from './region-span';
import { stateBackend } from './state-backend';
import { supplyChain } from './supply-chain';
import { transportSecurity } from './transport-security';
import { unpolicedStack } from './unpoliced-stack';
import { unprovenLocation } from './unproven-location';

export { backupCoverage, dataResidency, exec, keyCustody, operatorJurisdiction, phoneHome, regionSpan, stateBackend, supplyChain, transportSecurity, unpolicedStack, unprovenLocation };

/** The rules every SovereignStack runs, in report order. */
export const ALL_RULES: readonly Rule[] = [
  dataResidency, regionSpan, operatorJurisdiction, unprovenLocation, stateBackend, backupCoverage, keyCustody, transportSecurity, phoneHome, supplyChain,
  exec, unpolicedStack,
];
