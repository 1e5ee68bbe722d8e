/**
 * A Kubernetes Secret whose values are generated once and kept in Terraform
 * state: stable across applies, never written into the synthesized files
 * (they hold only references such as `${random_password.x.result}`).
 */
import { Password } from '@cdktf/provider-random/lib/password';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Construct } from 'constructs';
import { ensureRandomProvider } from './cluster-connection';

/** Props of {@link GeneratedSecret}. */
export interface GeneratedSecretProps {
  /** Namespace of the Secret. */
  readonly namespace: string;
  /** Name of the Secret. */
  readonly name: string;
  /** Keys whose values are generated passwords (letters and digits, safe inside JSON and YAML). */
  readonly generated?: readonly string[];
  /** Keys with values that are not secret, or references to other generated values. @default - none */
  readonly data?: Readonly<Record<string, string>>;
  /** Length of generated values. @default 48 */
  readonly length?: number;
}

/**
 * A Secret with generated values.
 *
 * @example
 * const admin = new GeneratedSecret(this, 'Admin', { namespace: ns.name, name: 'keycloak-admin', generated: ['password'], data: { username: 'admin' } });
 * admin.secretName; // 'keycloak-admin'
 */
export class GeneratedSecret extends Construct {
  /** Name of the Secret. */
  public readonly secretName: string;
  public readonly secret: SecretV1;
  private readonly passwords = new Map<string, Password>();

  constructor(scope: Construct, id: string, props: GeneratedSecretProps) {
    super(scope, id);
    const length = props.length ?? 48;
    if (length < 24) {
      throw new Error(`GeneratedSecret ${this.node.path}: 'length' (${length}) is too short. Allowed: 24 or more characters. Fix: omit it for the default 48.`);
    }
    ensureRandomProvider(this);
    const data: Record<string, string> = { ...props.data };
    for (const key of props.generated ?? []) {
      const password = new Password(this, key.replace(/[^A-Za-z0-9]/g, '-'), { length, special: false });
      this.passwords.set(key, password);
      data[key] = password.result;
    }
    this.secret = new SecretV1(this, 'Secret', { metadata: { name: props.name, namespace: props.namespace }, data });
    this.secretName = props.name;
  }

  /** A reference to a generated value, for use in another Secret (never a literal). */
  public value(key: string): string {
    const password = this.passwords.get(key);
    if (!password) {
      throw new Error(`GeneratedSecret ${this.node.path}: no generated key '${key}'. Allowed: ${[...this.passwords.keys()].join(', ')}.`);
    }
    return password.result;
  }
}
