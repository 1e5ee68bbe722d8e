import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { evaluateTemplate, provenValues } from '../../constructs/policy/scan-expressions';
import { imageKeyRole, isImageReference } from '../../constructs/policy/scan-images';
import { moduleSourceUrl, providerOf, providerSourceUrl } from '../../constructs/policy/scan-providers';
import { decodeBase64Text, isReportedIpv4, targetsInText, textTargets, withoutTemplateExpressions } from '../../constructs/policy/scan-text';

describe('targetsInText', () => {
  it.each([
    ['ftp://a.example/x', ['ftp://a.example/x']],
    ['x jdbc:mysql://db.example:3306/app, y', ['jdbc:mysql://db.example:3306/app']],
    ['see https://docs.example.org/x.', ['https://docs.example.org/x']],
    ['evil.com', ['evil.com']],
    ['EVIL.COM:8080/path', ['EVIL.COM:8080/path']],
    ['évil.de', ['évil.de']],
    ['ｅvil。com', ['evil.com']],
    ['--server=evil.com', ['evil.com']],
    ['${HOST:-evil.com}', ['evil.com']],
    ['git@github.com:org/repo.git', ['github.com']],
    ['<script src="//cdn.evil.com/x.js">', ['cdn.evil.com/x.js']],
    ['proxy: //203.0.113.9:3128', ['203.0.113.9']],
    ['curl "${PROTO}://evil.com/x"', ['evil.com/x']],
    ['connect to evil.com. Then 10.1.2.3.', ['10.1.2.3', 'evil.com']],
    ['copy to \\\\files.evil.com\\share and \\\\198.51.100.7\\c$', ['198.51.100.7', 'files.evil.com']],
  ])('finds the place in %j', (text, expected) => {
    expect(targetsInText(text)).toEqual(expected);
  });

  it.each([
    'config.php', 'values.yaml', 'desk.json', 'x.svc', 'x.svc.cluster.local', 'desk.agency.example', 'host.internal',
    '/etc/hosts.evil.com', 'a//b.com', 'first.last@x', 'console.log(1)', '-Duser.name=me', 'install.sh', 'README.md',
    '1.2.3', '22.04', '0644', '0.0.0.0', '0.0.0.0/0', '10.0.0.0/8', '::', '::/0', '255.255.255.0', '12:30:00', 'aa:bb:cc:dd:ee:ff',
    '{{ user.name }}', '{% if site.url %}', '%(protocol)s://%(domain)s:%(http_port)s/grafana/', 'file:///etc/x', 'unix:///run/x.sock',
  ])('finds nothing in %j', (text) => {
    expect(targetsInText(text)).toEqual([]);
  });

  it('reads a label key or an API group as a name only where asked to, and names under kubernetes.io always', () => {
    expect(targetsInText('app.example.com/name', { labelKey: true })).toEqual([]);
    expect(targetsInText('cert-manager.io', { labelKey: true })).toEqual([]);
    expect(targetsInText('app.example.com/name')).toEqual(['app.example.com/name']);
    expect(targetsInText('cert-manager.io')).toEqual(['cert-manager.io']);
    expect(targetsInText('kubernetes.io/hostname')).toEqual([]);
    expect(targetsInText('node.kubernetes.io/not-ready')).toEqual([]);
    expect(targetsInText('kubernetes.io/docs/concepts/x')).toEqual(['kubernetes.io/docs/concepts/x']);
    expect(targetsInText('registry.k8s.io/pause')).toEqual(['registry.k8s.io/pause']);
  });

  it('reads only URLs and addresses in map keys', () => {
    expect(targetsInText('claim.name', { mapKey: true })).toEqual([]);
    expect(targetsInText('https://x.example/cb', { mapKey: true })).toEqual(['https://x.example/cb']);
    expect(targetsInText('192.0.2.1', { mapKey: true })).toEqual(['192.0.2.1']);
  });

  it('reads base64 wrapped over lines and gzipped base64', () => {
    const wrapped = Buffer.from('#cloud-config\nruncmd:\n  - curl https://wrapped.evil.example/x\n').toString('base64').replace(/(.{20})/g, '$1\n');
    const gzipped = gzipSync('curl gz.evil.com').toString('base64');
    expect(targetsInText(wrapped)).toEqual(['https://wrapped.evil.example/x']);
    expect(targetsInText(gzipped)).toEqual(['gz.evil.com']);
  });

  it('stays linear on long inputs', () => {
    const started = Date.now();
    for (const text of ['https://a'.repeat(20000), '{{'.repeat(50000), 'a.'.repeat(100000), '1:'.repeat(50000)]) targetsInText(text);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('isReportedIpv4', () => {
  it.each(['203.0.113.7', '127.0.0.1', '010.0.0.1', '0x7f.1', '0x7f.0.0.1', '017700000001', '0x7f000001', '0177.0.0.1'])('reports %s', (token) => {
    expect(isReportedIpv4(token)).toBe(true);
  });
  it.each(['1.2.3', '22.04', '2130706433', '0644', '0.0.0.0', '255.255.255.0', '256.1.1.1', '08.1.2.3', '2024.01.02'])('does not report %s', (token) => {
    expect(isReportedIpv4(token)).toBe(false);
  });
});

describe('textTargets', () => {
  const encoded = Buffer.from('https://exfil.evil-corp.com/p').toString('base64');
  const text = `relay smtp.evil-corp.com:587 and ${encoded}`;

  it('finds what targetsInText finds, with the decoded texts beside them when asked to decode', () => {
    const decoding = textTargets(text, { decode: true });
    expect(decoding.targets).toEqual(targetsInText(text, { onDecoded: () => undefined }));
    expect(decoding.decoded).toEqual(['https://exfil.evil-corp.com/p']);
    expect(textTargets(text, { decode: false })).toEqual({ targets: targetsInText(text), decoded: [] });
    expect(textTargets('claim.name', { mapKey: true, decode: true }).targets).toEqual(targetsInText('claim.name', { mapKey: true }));
    expect(textTargets('app.kubernetes.io/name', { labelKey: true, decode: true }).targets).toEqual([]);
    expect(textTargets('app.kubernetes.io/name', { decode: true }).targets).toEqual(targetsInText('app.kubernetes.io/name'));
  });

  it('remembers the result of a text per reading', () => {
    expect(textTargets(text, { decode: true })).toBe(textTargets(text, { decode: true }));
    expect(textTargets(text, { decode: true })).not.toBe(textTargets(text, { decode: false }));
  });
});

describe('decodeBase64Text', () => {
  it('decodes printable text, standard and URL-safe', () => {
    expect(decodeBase64Text(Buffer.from('https://x.example/?a=b').toString('base64'))).toBe('https://x.example/?a=b');
    expect(decodeBase64Text(Buffer.from('~~~?>>>https://x.example').toString('base64url'))).toBe('~~~?>>>https://x.example');
  });
  it('refuses binary and words that only look like base64', () => {
    expect(decodeBase64Text(Buffer.from([0, 1, 2, 3, 250, 251, 252, 253, 254, 255, 0, 1]).toString('base64'))).toBeUndefined();
    expect(decodeBase64Text('01JDESK0KEYC10AK0PR0V1DER0')).toBeUndefined();
  });
  it('reads bytes as a fatal UTF-8 TextDecoder does: invalid sequences refused, a byte order mark dropped', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const reference = (bytes: Uint8Array) => {
      try {
        return decoder.decode(bytes);
      } catch {
        return undefined;
      }
    };
    const printable = (text: string | undefined) => text !== undefined && text.length > 0 && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/.test(text);
    const bytes = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 24 }),
      fc.string({ unit: 'binary', minLength: 1 }).map((t) => new Uint8Array(Buffer.from(t))),
      fc.tuple(fc.constantFrom([0xef, 0xbb, 0xbf], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80]), fc.string({ unit: 'binary' }))
        .map(([head, t]) => new Uint8Array([...head, ...Buffer.from(t)])),
    );
    fc.assert(fc.property(bytes, (b) => {
      const expected = reference(b);
      expect(decodeBase64Text(Buffer.from(b).toString('base64'))).toBe(printable(expected) && !b.some((x) => (x < 0x20 && x !== 0x09 && x !== 0x0a && x !== 0x0d) || x === 0x7f) ? expected : undefined);
    }), { numRuns: 2000 });
    expect(decodeBase64Text(Buffer.from('\ufeffhttps://x.example').toString('base64'))).toBe('https://x.example');
  });
});

describe('withoutTemplateExpressions', () => {
  it('keeps quoted literals of template expressions and blanks the rest', () => {
    expect(withoutTemplateExpressions('a {{ default "x.com" .Values.h }} b').replace(/\s+/g, ' ')).toBe('a x.com b');
  });
});

describe('evaluateTemplate', () => {
  const proven = provenValues({
    resource: { kubernetes_namespace_v1: { ns: { metadata: [{ name: 'team' }] } }, random_id: { r: {} } },
    variable: { n: { type: 'number' }, s: { type: 'string' } },
  });
  it.each([
    ['$${literal}', '${literal}', false],
    ['%%{literal}', '%{literal}', false],
    ['${kubernetes_namespace_v1.ns.metadata[0].name}', 'team', false],
    ['${kubernetes_namespace_v1.ns.metadata.0.name}', 'team', false],
    ['${random_id.r.hex}', 'x0', false],
    ['${var.n}', '0', false],
    ['${var.s}', '\uE000', true],
    ['${random_id.other.hex}', '\uE000', true],
    ['${jsonencode({a = "}"})}x', '\uE000 } \uE000x', true],
    ['${lower("EVIL.COM")}', '\uE000 EVIL.COM \uE000', true],
    ['${unterminated', '\uE000', true],
  ])('evaluates %j', (template, text, computed) => {
    expect(evaluateTemplate(template, proven)).toEqual({ text, computed });
  });
});

describe('image keys and references', () => {
  it.each([
    ['image', 'image'], ['sidecarImage', 'image'], ['imageName', 'image'], ['operatorImageName', 'image'],
    ['POSTGRES_IMAGE_NAME', 'image'], ['RELATED_IMAGE_PGBOUNCER', 'image'], ['KEY_IMAGE', 'image'],
    ['imageRegistry', 'registry'], ['registry', 'registry'], ['imageNamespace', 'namespace'], ['imageFull', 'image-like'],
    ['imageTag', undefined], ['imagePullPolicy', undefined], ['imagePullSecrets', undefined], ['name', undefined],
  ])('%s names %s', (key, role) => {
    expect(imageKeyRole(key)).toBe(role);
  });

  it('follows the Docker reference grammar', () => {
    expect(['nginx', 'nginx:1.27', 'ghcr.io/a/b:1', 'localhost:5000/a', 'a/b@sha256:' + '0'.repeat(64)].every(isImageReference)).toBe(true);
    expect(['IfNotPresent', 'Nginx', 'a b', 'https://x/y', ''].some(isImageReference)).toBe(false);
  });
});

describe('Terraform sources', () => {
  it.each([
    ['terraform-aws-modules/vpc/aws', 'https://registry.terraform.io/terraform-aws-modules/vpc/aws'],
    ['terraform-aws-modules/vpc/aws//modules/x', 'https://registry.terraform.io/terraform-aws-modules/vpc/aws//modules/x'],
    ['app.terraform.io/org/vpc/aws', 'https://app.terraform.io/org/vpc/aws'],
    ['git::https://git.example/m.git?ref=v1', 'https://git.example/m.git?ref=v1'],
    ['git::ssh://git@git.example/m.git', 'ssh://git@git.example/m.git'],
    ['git@github.com:org/m.git', 'ssh://git@github.com/org/m.git'],
    ['github.com/org/m', 'https://github.com/org/m'],
    ['s3::https://s3.eu-central-1.amazonaws.com/b/m.zip', 'https://s3.eu-central-1.amazonaws.com/b/m.zip'],
    ['./modules/x', 'local:./modules/x'],
    ['../x', 'local:../x'],
  ])('module source %s is %s', (source, url) => {
    expect(moduleSourceUrl(source)).toBe(url);
  });

  it.each([
    ['helm', 'helm', 'https://registry.terraform.io/hashicorp/helm'],
    ['aws', 'hashicorp/aws', 'https://registry.terraform.io/hashicorp/aws'],
    ['own', 'tf.example.com/org/own', 'https://tf.example.com/org/own'],
    ['x', undefined, 'https://registry.terraform.io/hashicorp/x'],
  ])('provider %s from %s is %s', (name, source, url) => {
    expect(providerSourceUrl(name, source)).toBe(url);
  });

  it('takes a resource provider from its meta-argument, else its type', () => {
    expect(providerOf('aws_s3_bucket', {})).toBe('aws');
    expect(providerOf('google_storage_bucket', { provider: 'google-beta.eu' })).toBe('google-beta');
    expect(providerOf('terraform_data', {})).toBe('terraform');
  });
});
