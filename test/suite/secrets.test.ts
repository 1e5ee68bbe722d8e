import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resources, synth, workplace } from '../util';
import { scanDirectory, scanText } from './secret-scan';

describe('no secret value in the synthesized output', () => {
  const out = synth(workplace());

  it('scans every synthesized file and finds no secret', () => {
    expect(readdirSync(join(out.outdir, 'stacks', 'agency-de'))).toContain('cdk.tf.json');
    expect(scanDirectory(out.outdir)).toEqual([]);
  });

  it('fills every generated Secret value from a reference resolved at apply time', () => {
    for (const secret of resources(out.json, 'kubernetes_secret_v1')) {
      for (const [key, value] of Object.entries(secret.data as Record<string, string>)) {
        const literal = value.replace(/\$\{[^}]+\}/g, '');
        if (/desk\.json|upstream\.yaml/.test(key)) continue; // documents that embed references; scanned above
        expect([key, literal]).toEqual([key, /username/.test(key) ? 'desk-admin' : '']);
      }
    }
  });

  it('keeps passwords out of the Helm values: charts read them from Secrets', () => {
    for (const release of resources(out.json, 'helm_release')) {
      expect(release.set_sensitive).toBeUndefined();
      expect((release.values as string[])[0]).not.toMatch(/password:\s+["']?(?!password\b)[A-Za-z0-9]{8,}/); // a key named password is no secret
    }
  });
});

describe('the secret scan', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'desk-scan-'));

  it('fails if a password is written literally', () => {
    const d = dir();
    writeFileSync(join(d, 'cdk.tf.json'), JSON.stringify({ resource: { kubernetes_secret_v1: { s: { data: { password: 'hunter2-but-longer' } } } } }));
    expect(scanDirectory(d)).toEqual([expect.objectContaining({ reason: 'a literal value under "password"' })]);
  });

  it('fails if a private key or a random token is written', () => {
    expect(scanText('f', JSON.stringify({ key: '-----BEGIN RSA PRIVATE KEY-----\nMIIE...' }))[0].reason).toBe('a PEM private key');
    expect(scanText('f', JSON.stringify({ note: 'Zk8q2LmP4xW9vB7nT3rY6sD1fH5jK0aQ' }))[0].reason).toMatch(/random-looking/);
  });

  it('fails if a secret hides in embedded YAML', () => {
    expect(scanText('f', JSON.stringify({ values: ['db:\n  password: s3cr3tpw\n'] }))).toEqual([
      expect.objectContaining({ reason: '"password" set to a literal in embedded text' }),
    ]);
  });

  it('passes references and the names of Secrets', () => {
    expect(scanText('f', JSON.stringify({ password: '${random_password.x.result}', existingSecret: 'keycloak-db-app', secretKey: 'password' }))).toEqual([]);
  });
});
