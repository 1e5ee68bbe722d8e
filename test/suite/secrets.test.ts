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

  it('generates the keys of the copies that leave the cluster: Velero\'s repository password and the bucket copy\'s crypt keys', () => {
    const secrets = resources(out.json, 'kubernetes_secret_v1');
    const named = (name: string) => secrets.find((s) => (s.metadata as { name: string }).name === name)?.data as Record<string, string>;
    expect(named('velero-repo-credentials')).toEqual({ 'repository-password': expect.stringMatching(/^\$\{random_password\.[A-Za-z0-9_-]+\.result\}$/) });
    expect(named('replicate-agency-de-files-crypt')).toEqual({
      password: expect.stringMatching(/^\$\{random_password\.[A-Za-z0-9_-]+\.result\}$/),
      password2: expect.stringMatching(/^\$\{random_password\.[A-Za-z0-9_-]+\.result\}$/),
    });
  });

  it.each([
    ['velero-repo-credentials', 'repository-password'], ['replicate-agency-de-files-crypt', 'password'], ['replicate-agency-de-files-crypt', 'password2'],
  ])('fails if a key of %s (%s) were written as a literal: the scan would catch it', (name, key) => {
    const json = JSON.parse(out.text) as { resource: Record<string, Record<string, { metadata: { name: string }; data: Record<string, string> }>> };
    const secret = Object.values(json.resource.kubernetes_secret_v1).find((s) => s.metadata.name === name);
    if (!secret) throw new Error(`no Secret ${name}`);
    secret.data[key] = 'Hx7pQ2mv9Lw4';
    expect(scanText('cdk.tf.json', JSON.stringify(json))).toEqual([expect.objectContaining({ reason: `a literal value under "${key}"` })]);
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
