import { parse } from 'yaml';
import { CHARTS, ChartName, Values, baseValues } from '../../constructs/platform';
import { TerraformConfig, resources, synth, workplace } from '../util';
import { videoStack } from '../apps/video-stack';
import { AllowedKey, schemaErrors, unknownKeys, upstreamChart } from './upstream-charts';
import { COLLABORA_KEYS, COLLABORA_DOCUMENTATION, collaboraKeysInNextcloud } from './collabora-keys';
import { metricsStack } from './metrics-fixture';
import { projectsStack } from '../apps/projects-stack';
import { wikiStack } from '../apps/wiki-stack';

/** Charts whose upstream ships no schema (see the chart files' README). */
const CHARTS_WITHOUT_SCHEMA: readonly ChartName[] = ['nextcloud', 'docker-mailserver', 'fluent-bit', 'jitsi-meet', 'openproject', 'xwiki'];

const annotations = (path: string): AllowedKey => ({ path, kind: 'free-form', reason: 'Kubernetes annotations: keys are ours' });

/** Keys outside the upstream values.yaml that we may set, chart by chart, each with its reason. */
const ALLOWED: Readonly<Record<Exclude<ChartName, 'collabora-online'>, readonly AllowedKey[]>> = {
  keycloakx: [
    annotations('ingress.annotations'),
    { path: 'podSecurityContext', kind: 'free-form', reason: 'a PodSecurityContext, rendered as given' },
    { path: 'securityContext', kind: 'free-form', reason: 'a container SecurityContext, rendered as given' },
    { path: 'resources', kind: 'free-form', reason: 'container resources, rendered as given' },
  ],
  nextcloud: [
    annotations('ingress.annotations'),
    { path: 'ingress.className', kind: 'commented', reason: 'documented commented out in values.yaml' },
    { path: 'ingress.tls', kind: 'commented', reason: 'documented commented out in values.yaml' },
    { path: 'nextcloud.existingSecret.secretName', kind: 'commented', reason: 'documented commented out in values.yaml' },
    { path: 'externalRedis.existingSecret.secretName', kind: 'commented', reason: 'documented commented out in values.yaml' },
    { path: 'nextcloud.configs', kind: 'free-form', reason: 'extra config.php files by name' },
    { path: 'nextcloud.hooks', kind: 'free-form', reason: 'hook scripts by phase (keys shown empty upstream)' },
    { path: 'resources', kind: 'free-form', reason: 'container resources' },
    { path: 'cronjob.sidecar.resources', kind: 'free-form', reason: 'container resources' },
  ],
  'docker-mailserver': [
    { path: 'deployment.env', kind: 'free-form', reason: 'environment of docker-mailserver; its variables are documented upstream' },
    { path: 'secrets', kind: 'free-form', reason: 'Secrets to mount, by name (documented commented out)' },
    { path: 'configMaps', kind: 'free-form', reason: 'config files to mount, by name' },
    { path: 'certificate', kind: 'free-form', reason: 'name of the TLS Secret (null upstream)' },
  ],
  'matrix-stack': ['synapse.additional', 'matrixAuthenticationService.additional', 'elementWeb.additional'].map((path): AllowedKey => ({
    path, kind: 'free-form', reason: 'extra config files by name; their shape is checked by values.schema.json',
  })),
  'cloudnative-pg': [{ path: 'resources', kind: 'free-form', reason: 'container resources' }],
  cluster: [
    { path: 'cluster.initdb', kind: 'free-form', reason: 'CloudNativePG bootstrap.initdb, rendered as given' },
    { path: 'cluster.resources', kind: 'free-form', reason: 'container resources' },
  ],
  valkey: [
    { path: 'auth.aclUsers', kind: 'free-form', reason: 'ACL users by name' },
    { path: 'resources', kind: 'free-form', reason: 'container resources' },
  ],
  velero: [
    { path: 'podSecurityContext', kind: 'free-form', reason: 'a PodSecurityContext, rendered as given' },
    { path: 'containerSecurityContext', kind: 'free-form', reason: 'a container SecurityContext, rendered as given' },
    ...['resources', 'kubectl.resources', 'nodeAgent.resources'].map((path): AllowedKey => ({ path, kind: 'free-form', reason: 'container resources' })),
    { path: 'schedules', kind: 'free-form', reason: 'backup schedules by name (documented commented out)' },
    { path: 'kubectl.image.tag', kind: 'commented', reason: 'documented commented out in values.yaml' },
  ],
  'fluent-bit': [{ path: 'resources', kind: 'free-form', reason: 'container resources' }],
  'cert-manager': ['resources', 'webhook.resources', 'cainjector.resources', 'startupapicheck.resources']
    .map((path): AllowedKey => ({ path, kind: 'free-form', reason: 'container resources' })),
  traefik: [{ path: 'resources', kind: 'free-form', reason: 'container resources' }],
  prometheus: [
    { path: 'server.global.external_labels', kind: 'free-form', reason: 'Prometheus global configuration, rendered into prometheus.yml as given' },
    { path: 'server.securityContext.seccompProfile', kind: 'free-form', reason: 'a PodSecurityContext field, rendered as given' },
    { path: 'server.containerSecurityContext', kind: 'free-form', reason: 'a container SecurityContext, rendered as given' },
    { path: 'configmapReload.prometheus.containerSecurityContext', kind: 'free-form', reason: 'a container SecurityContext, rendered as given' },
    ...['server.resources', 'configmapReload.prometheus.resources'].map((path): AllowedKey => ({ path, kind: 'free-form', reason: 'container resources' })),
  ],
  'jitsi-meet': [
    annotations('web.ingress.annotations'),
    annotations('jvb.service.annotations'),
    annotations('coturn.service.annotations'),
    ...['extraCommonEnvs', 'web.extraEnvs', 'prosody.extraEnvs', 'jicofo.extraEnvs', 'jvb.extraEnvs']
      .map((path): AllowedKey => ({ path, kind: 'free-form', reason: 'environment variables of the docker-jitsi-meet images, documented upstream' })),
    ...['web.resources', 'prosody.resources', 'jicofo.resources', 'jvb.resources', 'coturn.resources']
      .map((path): AllowedKey => ({ path, kind: 'free-form', reason: 'container resources' })),
    ...['web.image.tag', 'prosody.image.tag', 'jicofo.image.tag', 'jvb.image.tag', 'web.ingress.ingressClassName', 'jvb.publicIPs', 'jvb.service.loadBalancerIP']
      .map((path): AllowedKey => ({ path, kind: 'commented', reason: 'documented commented out in values.yaml' })),
  ],
  openproject: [
    annotations('ingress.annotations'),
    { path: 'environment', kind: 'free-form', reason: 'OpenProject environment variables by name (documented upstream)' },
    { path: 'openproject.oidc.attribute_map', kind: 'free-form', reason: 'claim mappings by attribute name' },
    { path: 'postgresql.auth.secretKeys', kind: 'free-form', reason: "read by the chart's env helper; values.yaml shows it only in a `##` comment, which the inventory does not record" },
    { path: 'memcached.image.registry', kind: 'free-form', reason: "the bundled Bitnami memcached subchart's image registry (subchart key)" },
    ...['resources', 'workers.default.resources', 'hocuspocus.resources', 'appInit.resources', 'dbInit.resources', 'seederJob.resources', 'memcached.resources']
      .map((path): AllowedKey => ({ path, kind: 'free-form', reason: 'container resources' })),
  ],
  xwiki: [
    annotations('ingress.annotations'),
    ...['securityContext', 'containerSecurityContext', 'volumePermissions.containerSecurityContext'].map((path): AllowedKey => ({
      path, kind: 'free-form', reason: 'a (Pod)SecurityContext, rendered as given without its `enabled` key',
    })),
    { path: 'resources', kind: 'free-form', reason: 'container resources (documented commented out)' },
    { path: 'customConfigs', kind: 'free-form', reason: 'xwiki.cfg and xwiki.properties keys by file (documented commented out)' },
    { path: 'customConfigsSecrets', kind: 'free-form', reason: 'xwiki.properties keys from Secrets, by file (documented commented out)' },
  ],
};

/** Variants the default suite does not render (e.g. OpenProject with a bucket), from the stacks the constructs' own tests build. */
const STANDALONE: Partial<Record<ChartName, () => TerraformConfig[]>> = {
  'jitsi-meet': () => [synth(videoStack().stack).json],
  prometheus: () => [synth(metricsStack({ caSecret: 'metrics-ca' }).stack).json],
  openproject: () => [synth(projectsStack().stack).json, synth(projectsStack({ objectStore: true }).stack).json],
  xwiki: () => [synth(wikiStack().stack).json],
};

function releasesByChart(json: TerraformConfig): Map<string, Values[]> {
  const byChart = new Map<string, Values[]>();
  for (const release of resources(json, 'helm_release')) {
    const list = byChart.get(release.chart as string) ?? [];
    list.push(parse((release.values as string[])[0]) as Values);
    byChart.set(release.chart as string, list);
  }
  return byChart;
}

const defaultSuite = releasesByChart(synth(workplace()).json);
const withTraefik = releasesByChart(synth(workplace({ ingress: { install: true } })).json);
const standalone = new Map(Object.entries(STANDALONE).map(([chart, build]) => [chart, build().flatMap((json) => releasesByChart(json).get(chart) ?? [])]));
const rendered = (chart: string): Values[] => [...(defaultSuite.get(chart) ?? []), ...(withTraefik.get(chart) ?? []), ...(standalone.get(chart) ?? [])];

describe.each(Object.keys(ALLOWED) as Exclude<ChartName, 'collabora-online'>[])('chart %s', (chart) => {
  const facts = CHARTS[chart];
  const upstream = upstreamChart(facts.name, facts.version);

  it('is pinned to the version of the upstream chart files', () => {
    expect(upstream.inventory.published).toBe(facts.version);
    expect(upstream.chartYaml.name).toBe(facts.name);
    // cert-manager and matrix-stack carry placeholder versions in git; their directory names are the published versions.
    if (chart !== 'cert-manager' && chart !== 'matrix-stack') expect(upstream.chartYaml.version).toBe(facts.version);
  });

  it('is installed by the suite (or by its construct, for charts the default leaves out)', () => {
    expect(rendered(chart).length).toBeGreaterThan(0);
  });

  it('sets only keys the chart defines (values.yaml, schema, or the commented allow-list)', () => {
    for (const values of [baseValues(chart), ...rendered(chart)]) {
      expect(unknownKeys(values, upstream, ALLOWED[chart])).toEqual([]);
    }
  });

  it('allow-lists commented keys that really are commented out in values.yaml', () => {
    for (const key of ALLOWED[chart].filter((a) => a.kind === 'commented')) {
      expect(upstream.inventory.commented).toContain(key.path);
    }
  });

  if (upstream.hasSchema) {
    it('validates against values.schema.json', () => {
      // Helm validates the chart's defaults merged with ours, so the schema's required keys may come from the defaults.
      for (const values of rendered(chart)) {
        expect(schemaErrors(values, upstream)).toEqual([]);
      }
    });
  } else {
    it('ships no values.schema.json, so values.yaml and the allow-list are the whole check', () => {
      expect(CHARTS_WITHOUT_SCHEMA).toContain(chart);
    });
  }
});

describe('chart collabora-online (values not mirrored offline)', () => {
  const flatten = (values: unknown, prefix = ''): string[] =>
    values !== null && typeof values === 'object' && !Array.isArray(values)
      ? Object.entries(values as Values).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k))
      : [prefix];

  it('sets only keys on the checked list', () => {
    for (const values of [baseValues('collabora-online'), ...rendered('collabora-online')]) {
      const keys = flatten(values).filter((key) => !COLLABORA_KEYS.some((k) => key === k || key.startsWith(`${k}.`)));
      expect(keys).toEqual([]);
    }
    expect(COLLABORA_DOCUMENTATION).toMatch(/^https:\/\//);
  });

  it('spells every listed key the way nextcloud 9.2.4 (which bundles collabora-online 1.1.60) does', () => {
    const nextcloud = upstreamChart('nextcloud', '9.2.4');
    const bundled = (nextcloud.chartYaml.dependencies ?? []).find((d) => d.name === 'collabora-online');
    expect(bundled?.version).toBe(CHARTS['collabora-online'].version);
    const known = collaboraKeysInNextcloud(nextcloud.inventory.values);
    const checkable = COLLABORA_KEYS.filter((key) => !['replicaCount', 'image.repository', 'resources'].includes(key));
    expect(checkable.filter((key) => !known.some((k) => k === key || k.startsWith(`${key}.`) || key.startsWith(`${k}.`)))).toEqual([]);
  });
});
