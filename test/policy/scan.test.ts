import { scanTerraform } from '../../constructs/policy';

describe('scanTerraform', () => {
  it('finds the chart repository, images, hosts and URLs of a helm_release', () => {
    const found = scanTerraform({
      resource: {
        helm_release: {
          grafana: {
            '//': { metadata: { path: 'stack/Team/Grafana' } },
            chart: 'grafana',
            repository: 'https://grafana.github.io/helm-charts',
            values: [[
              'image:', '  registry: docker.io', '  repository: grafana/grafana', '  tag: 11.0.0',
              'sidecar:', '  image: quay.io/kiwigrid/k8s-sidecar:1.27',
              'grafana.ini:', '  external_image_storage.s3:', '    endpoint: https://s3.us-east-1.amazonaws.com',
              'smtp:', '  host: mail.example.com',
              'notes: "see https://docs.example.org/x."',
            ].join('\n')],
            set: [{ name: 'backup.target', value: 's3://bucket.s3.eu-west-1.amazonaws.com/path' }],
          },
        },
      },
    }, 'stack');
    expect(found.map((p) => [p.kind, p.target, p.ownerPath, p.address])).toEqual([
      ['chart-repository', 'https://grafana.github.io/helm-charts', 'stack/Team/Grafana', 'helm_release.grafana'],
      ['endpoint', 'https://docs.example.org/x', 'stack/Team/Grafana', 'helm_release.grafana'],
      ['endpoint', 'https://s3.us-east-1.amazonaws.com', 'stack/Team/Grafana', 'helm_release.grafana'],
      ['endpoint', 'mail.example.com', 'stack/Team/Grafana', 'helm_release.grafana'],
      ['endpoint', 's3://bucket.s3.eu-west-1.amazonaws.com/path', 'stack/Team/Grafana', 'helm_release.grafana'],
      ['registry', 'docker.io/grafana/grafana', 'stack/Team/Grafana', 'helm_release.grafana'],
      ['registry', 'quay.io/kiwigrid/k8s-sidecar:1.27', 'stack/Team/Grafana', 'helm_release.grafana'],
    ]);
  });

  it('takes an OCI chart as the chart repository', () => {
    const found = scanTerraform({ resource: { helm_release: { ess: { chart: 'oci://ghcr.io/element-hq/ess-helm/matrix-stack' } } } }, 'stack');
    expect(found).toEqual([expect.objectContaining({ kind: 'chart-repository', target: 'oci://ghcr.io/element-hq/ess-helm/matrix-stack', ownerPath: 'stack' })]);
  });

  it('scans URLs in values that are not valid YAML', () => {
    const found = scanTerraform({ resource: { helm_release: { x: { chart: './local', values: ['a: [\n url: https://s3.us-east-1.amazonaws.com'] } } } }, 's');
    expect(found.map((p) => p.target)).toEqual(['https://s3.us-east-1.amazonaws.com']);
  });

  it('finds container images in Kubernetes resources', () => {
    const found = scanTerraform({
      resource: {
        kubernetes_deployment_v1: {
          web: { spec: [{ template: [{ spec: [{ container: [{ image: 'nginx:1.27', name: 'web', env: [{ name: 'X', value: 'plain' }] }] }] }] }] },
        },
      },
    }, 's');
    expect(found.map((p) => [p.kind, p.target])).toEqual([['registry', 'nginx:1.27']]);
  });

  it('reads providers and the state backend', () => {
    const found = scanTerraform({
      provider: { kubernetes: [{ host: 'https://api.k8s.example.com' }] },
      terraform: { backend: { s3: { bucket: 'b', key: 'k', region: 'eu-central-1' } } },
    }, 's');
    expect(found.map((p) => [p.kind, p.target, p.address])).toEqual([
      ['cluster', 'https://api.k8s.example.com', 'provider.kubernetes'],
      ['state', 'https://s3.eu-central-1.amazonaws.com', 'terraform.backend.s3'],
    ]);
  });

  it.each([
    [{ local: { path: 'terraform.x.tfstate' } }, 'local:terraform.x.tfstate'],
    [{ kubernetes: { secret_suffix: 'x' } }, 'kubeconfig:KUBE_CONFIG_PATH'],
    [{ kubernetes: { secret_suffix: 'x', host: 'https://api.k8s.agency.example' } }, 'https://api.k8s.agency.example'],
    [{ s3: { bucket: 'b', endpoints: { s3: 'https://fsn1.your-objectstorage.com' } } }, 'https://fsn1.your-objectstorage.com'],
    [{ gcs: { bucket: 'b' } }, 'https://storage.googleapis.com'],
    [{ azurerm: { storage_account_name: 'acct' } }, 'https://acct.blob.core.windows.net'],
    [{ cloud: { organization: 'o' } }, 'https://app.terraform.io'],
    [{ http: { address: 'https://state.example.com/x' } }, 'https://state.example.com/x'],
  ])('places the %j backend at %s', (backend, target) => {
    const [state] = scanTerraform({ terraform: { backend } }, 's');
    expect(state).toMatchObject({ kind: 'state', target });
  });

  it('skips only the cdktf metadata, and plain words', () => {
    const found = scanTerraform({
      resource: { kubernetes_config_map_v1: { c: { '//': { metadata: { path: 'https://not.a.placement' } }, data: { mode: 'fast', note: 'see the docs' } } } },
    }, 's');
    expect(found).toEqual([]);
  });
});
