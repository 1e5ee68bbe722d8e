/**
 * Finds secret values in synthesized files: private keys, long random-looking
 * strings, and literal values under secret-sounding keys. References that
 * Terraform resolves at apply time (`${random_password.x.result}`) are fine.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretHit {
  readonly file: string;
  readonly path: string;
  readonly reason: string;
}

const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
const REFERENCE = /\$\{[^}]+\}/g;
/**
 * 32+ characters of letters, digits, + and = with upper case, lower case and
 * digits: looks generated. Terraform logical ids (underscores) and construct
 * paths (slashes) do not match.
 */
const RANDOM = /(?<![A-Za-z0-9+=_.-])(?=[A-Za-z0-9+=]*[0-9])(?=[A-Za-z0-9+=]*[a-z])(?=[A-Za-z0-9+=]*[A-Z])[A-Za-z0-9+=]{32,}(?![A-Za-z0-9+=_.-])/;
/** Keys that hold a secret itself (not the name of a Secret, like `existingSecret`); `password2` is rclone crypt's salt. */
const SECRET_KEY = /^(password\d*|passwd|secret|token|client[_-]?secret|clientSecret|private[_-]?key|api[_-]?key|.+[_-](password\d*|secret|token))$/i;
/** Values under secret-sounding keys that name something rather than being it. */
const NOT_A_VALUE = /^(\$\{[^}]+\}|[a-z0-9.-]*(secret|password|key|admin|users|credentials)[a-z0-9.-]*|client-secret|password|default|username)$/i;

/** Every hit in every file under `dir`. */
export function scanDirectory(dir: string): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const entry of readdirSync(dir)) {
    const file = join(dir, entry);
    if (statSync(file).isDirectory()) hits.push(...scanDirectory(file));
    else hits.push(...scanText(file, readFileSync(file, 'utf8')));
  }
  return hits;
}

/** Hits in one file (JSON is walked; other text is scanned line by line). */
export function scanText(file: string, text: string): SecretHit[] {
  try {
    return scanValue(file, JSON.parse(text), '');
  } catch {
    return scanString(file, '', '', text);
  }
}

function scanValue(file: string, value: unknown, path: string): SecretHit[] {
  if (typeof value === 'string') return scanString(file, path, path.split('.').pop() ?? '', value);
  if (Array.isArray(value)) return value.flatMap((v, i) => scanValue(file, v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => scanValue(file, v, path ? `${path}.${k}` : k));
  }
  return [];
}

function scanString(file: string, path: string, key: string, value: string): SecretHit[] {
  const hits: SecretHit[] = [];
  if (PRIVATE_KEY.test(value)) hits.push({ file, path, reason: 'a PEM private key' });
  const withoutReferences = value.replace(REFERENCE, '');
  if (RANDOM.test(withoutReferences)) hits.push({ file, path, reason: `a random-looking string: ${withoutReferences.match(RANDOM)?.[0]}` });
  if (SECRET_KEY.test(key) && value.length > 0 && !NOT_A_VALUE.test(value)) hits.push({ file, path, reason: `a literal value under "${key}"` });
  // Secrets embedded in text (YAML values, JSON strings, config files).
  for (const line of value.split('\n')) {
    const match = /(?:^|[\s{,"])(password|passwd|client_secret|token)["']?\s*[:=]\s*["']?([^"'\s,}]+)/i.exec(line);
    if (match && !NOT_A_VALUE.test(match[2]) && !match[2].startsWith('${')) {
      hits.push({ file, path, reason: `"${match[1]}" set to a literal in embedded text` });
    }
  }
  return hits;
}
