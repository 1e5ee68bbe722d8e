import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_STORE_KINDS } from '../../constructs/policy';
import { workplace } from '../util';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'restore.md'), 'utf8');
const headings = doc.split('\n').filter((line) => line.startsWith('#'));

describe('docs/restore.md', () => {
  const stores = workplace().prove().placements.filter((p) => DATA_STORE_KINDS.includes(p.kind));

  it('covers the stores of the default deployment', () => {
    expect(stores.length).toBeGreaterThanOrEqual(10);
  });

  it('has a section for every data store, named by its construct', () => {
    const missing = stores
      .map((p) => p.ownerPath.split('/').slice(1, -1).join('/'))
      .filter((construct) => !headings.some((h) => h.includes(`(\`${construct}\`)`)));
    expect(missing).toEqual([]);
  });

  it('gives commands for database point-in-time recovery and Velero restores', () => {
    expect(doc).toContain('recoveryTarget: { targetTime:');
    expect(doc).toContain('velero restore create --from-backup');
  });

  it('says where every key of a client-side copy lives, and restores with the escrow alone', () => {
    const clientSide = workplace().prove().placements.filter((p) => p.keys?.custody === 'client-side');
    expect(clientSide.map((p) => p.ownerPath.split('/').slice(1).join('/')).sort()).toEqual(['Workplace/FilesBucketReplication/Backup', 'Workplace/VolumeBackups/Backup']);
    for (const p of clientSide) {
      for (const evidence of p.keys?.evidence ?? []) {
        if (evidence.kind !== 'secret') continue;
        expect(doc).toContain(`\`${evidence.namespace}/${evidence.name}\``);
        for (const key of evidence.keys) expect(doc).toContain(`\`${key}\``);
      }
    }
    expect(doc).toContain('### Escrow, before you need it');
    expect(doc).toContain('### Restore drill: only what the escrow holds');
    expect(doc).toContain('rclone obscure - < crypt-password');
  });
});
