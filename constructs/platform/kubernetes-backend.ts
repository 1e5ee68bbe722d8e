/**
 * Terraform's `kubernetes` backend: state as a Secret in the target cluster,
 * so the state's placement is the cluster's. cdktf ships no class for it.
 */
import { TerraformBackend, TerraformRemoteState } from 'cdktf';
import { Construct } from 'constructs';

/** Props of {@link KubernetesBackend}; see Terraform's `kubernetes` backend documentation. */
export interface KubernetesBackendProps {
  /** Suffix of the Secret name `tfstate-<workspace>-<suffix>`. */
  readonly secretSuffix: string;
  /** Namespace of the state Secret (must exist before `terraform init`). @default 'default' */
  readonly namespace?: string;
  /** Path of the kubeconfig file. @default - KUBE_CONFIG_PATH */
  readonly configPath?: string;
  /** Context in the kubeconfig. @default - the current context */
  readonly configContext?: string;
  /** URL of the API server; overrides the kubeconfig's, so the state goes to the proven cluster. @default - the kubeconfig's */
  readonly host?: string;
}

/**
 * Stores Terraform state as a Kubernetes Secret.
 *
 * @example
 * new KubernetesBackend(stack, { secretSuffix: 'agency-de', namespace: 'desk-system' });
 */
export class KubernetesBackend extends TerraformBackend {
  constructor(scope: Construct, private readonly props: KubernetesBackendProps) {
    super(scope, 'backend', 'kubernetes');
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return compact({
      secret_suffix: this.props.secretSuffix,
      namespace: this.props.namespace,
      config_path: this.props.configPath,
      config_context: this.props.configContext,
      host: this.props.host,
    });
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    return this.synthesizeAttributes();
  }

  public getRemoteStateDataSource(scope: Construct, name: string, _fromStack: string): TerraformRemoteState {
    return new DataTerraformRemoteStateKubernetes(scope, name, this.props);
  }
}

/**
 * Reads another stack's outputs from its Kubernetes state Secret (cdktf uses
 * it for cross-stack references).
 *
 * @example
 * new DataTerraformRemoteStateKubernetes(stack, 'Platform', { secretSuffix: 'platform', namespace: 'desk-system' });
 */
export class DataTerraformRemoteStateKubernetes extends TerraformRemoteState {
  constructor(scope: Construct, id: string, props: KubernetesBackendProps) {
    super(scope, id, 'kubernetes', compact({
      secret_suffix: props.secretSuffix,
      namespace: props.namespace,
      config_path: props.configPath,
      config_context: props.configContext,
      host: props.host,
    }));
  }
}

function compact(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
