import { describeLocation } from '../../jurisdiction';
import { DATA_STORE_KINDS } from '../placement';
import { COMPLIANT, NOT_APPLICABLE, Rule, nonCompliant, settingNames } from '../rule';

/**
 * SD-BACKUP: every data store has at least one backup inside the
 * jurisdiction, and none outside it.
 *
 * A store may instead state why it needs none (a cache, a declared primary
 * copy); the reason is shown in the report.
 */
export const backupCoverage: Rule = {
  id: 'SD-BACKUP',
  title: 'Every data store is backed up inside the jurisdiction',
  explanation:
    'A database, volume or bucket without a backup is lost with the cluster or the provider; a backup abroad moves the data out of the jurisdiction. Each store needs one or more backups, all inside.',
  objective: 'SOV-3',
  severity: { residency: 'error', sovereign: 'error', strict: 'error' },
  check: (placement, context) => {
    if (!DATA_STORE_KINDS.includes(placement.kind)) return NOT_APPLICABLE;
    if (placement.noBackupReason) return COMPLIANT;
    const backups = placement.backupLocations ?? [];
    if (backups.length === 0) {
      return nonCompliant(
        `${placement.description} has no backup`,
        settingNames(context).vocabulary === 'spec'
          ? `set ${settingNames(context).backup}, or back this store up with the platform constructs (PostgresCluster backup, Velero coverage of its namespace)`
          : `back it up with ${settingNames(context).backup}`,
      );
    }
    for (const backup of backups) {
      if (backup.resolution.status !== 'resolved') {
        return nonCompliant(`the backup of ${placement.description} at ${backup.target} is not proven: ${backup.resolution.reason}`, backup.resolution.hint);
      }
      const abroad = context.jurisdiction.outside(backup.resolution.location.countries);
      if (abroad.length > 0) {
        return nonCompliant(
          `the backup of ${placement.description} leaves the jurisdiction: ${backup.target} is ${describeLocation(backup.resolution.location)}`,
          `set ${settingNames(context).backupTarget} to a location in ${context.jurisdiction}`,
        );
      }
    }
    return COMPLIANT;
  },
};
