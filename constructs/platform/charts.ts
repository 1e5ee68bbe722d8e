/**
 * The upstream Helm charts of the suite, pinned: version, repository and the
 * images their values name (so a mirror can rewrite them and the policy can
 * place them). Versions match the chart files the tests check values against.
 */

/** Values of a chart, as nested plain data. */
export type Values = { [key: string]: unknown };

/** An image a chart runs, and how its values name it. */
export interface ChartImage {
  /** Upstream reference without tag, e.g. `quay.io/keycloak/keycloak`. */
  readonly upstream: string;
  /** The pinned tag; never `latest`. */
  readonly tag: string;
  /** Values that make the chart use `registry`/`repository` (registry is empty for a full reference). */
  readonly values: (image: { readonly registry: string; readonly repository: string; readonly reference: string; readonly tag: string }) => Values;
}

/** A pinned chart. */
export interface ChartFacts {
  readonly name: string;
  readonly version: string;
  /** Upstream repository: `https://…` index or `oci://…` registry path. */
  readonly repository: string;
  /** Where its documentation lives. */
  readonly documentation: string;
  /** SPDX licence of the chart (from the pinned chart files). */
  readonly license: string;
  readonly images: readonly ChartImage[];
}

const registryAndRepository = (path: string) => (i: { registry: string; repository: string; tag: string }): Values =>
  nest(path, { registry: i.registry, repository: i.repository, tag: i.tag });
const fullRepository = (path: string, withTag = true) => (i: { reference: string; tag: string }): Values =>
  nest(path, withTag ? { repository: i.reference, tag: i.tag } : { repository: i.reference });

/** `nest('a.b', v)` is `{ a: { b: v } }`. */
export function nest(path: string, value: unknown): Values {
  return path.split('.').reduceRight<Values>((inner, key) => ({ [key]: inner }), value as Values);
}

export const CHARTS = {
  keycloakx: {
    name: 'keycloakx', license: 'Apache-2.0', version: '7.1.11', repository: 'https://codecentric.github.io/helm-charts',
    documentation: 'https://github.com/codecentric/helm-charts/tree/master/charts/keycloakx',
    images: [{ upstream: 'quay.io/keycloak/keycloak', tag: '26.5.6', values: fullRepository('image') }],
  },
  nextcloud: {
    name: 'nextcloud', license: 'AGPL-3.0', version: '9.2.4', repository: 'https://nextcloud.github.io/helm/',
    documentation: 'https://github.com/nextcloud/helm/tree/main/charts/nextcloud',
    images: [{ upstream: 'docker.io/library/nextcloud', tag: '34.0.1-apache', values: registryAndRepository('image') }],
  },
  'collabora-online': {
    name: 'collabora-online', license: 'MPL-2.0', version: '1.1.60', repository: 'https://collaboraonline.github.io/online/',
    documentation: 'https://github.com/CollaboraOnline/online/tree/master/kubernetes/helm/collabora-online',
    // The tag is the chart's appVersion (the chart pins it); only the repository is rewritten.
    images: [{ upstream: 'docker.io/collabora/code', tag: 'chart appVersion', values: fullRepository('image', false) }],
  },
  'docker-mailserver': {
    name: 'docker-mailserver', license: 'MIT', version: '5.1.1', repository: 'https://docker-mailserver.github.io/docker-mailserver-helm',
    documentation: 'https://github.com/docker-mailserver/docker-mailserver-helm',
    // The chart tags the image with its appVersion (15.1.0); it has no tag value.
    images: [{ upstream: 'docker.io/mailserver/docker-mailserver', tag: '15.1.0', values: (i) => nest('image', { name: i.reference }) }],
  },
  'matrix-stack': {
    name: 'matrix-stack', license: 'AGPL-3.0-only', version: '26.8.1', repository: 'oci://ghcr.io/element-hq/ess-helm',
    documentation: 'https://github.com/element-hq/ess-helm',
    images: [
      { upstream: 'ghcr.io/element-hq/ess-helm/matrix-tools', tag: '0.8.1', values: registryAndRepository('matrixTools.image') },
      { upstream: 'oci.element.io/synapse', tag: 'v1.159.0', values: registryAndRepository('synapse.image') },
      { upstream: 'oci.element.io/element-web', tag: 'v1.12.26', values: registryAndRepository('elementWeb.image') },
      { upstream: 'ghcr.io/element-hq/matrix-authentication-service', tag: '1.23.0', values: registryAndRepository('matrixAuthenticationService.image') },
      { upstream: 'docker.io/library/haproxy', tag: '3.2-alpine', values: registryAndRepository('haproxy.image') },
    ],
  },
  'jitsi-meet': {
    name: 'jitsi-meet', license: 'MIT', version: '3.4.0', repository: 'https://jitsi-contrib.github.io/jitsi-helm/',
    documentation: 'https://github.com/jitsi-contrib/jitsi-helm',
    // The Jitsi images carry the chart's appVersion; it is written out so that the pinned tag is what is placed.
    images: [
      ...(['web', 'prosody', 'jicofo', 'jvb'] as const).map((component): ChartImage => (
        { upstream: `ghcr.io/jitsi/${component}`, tag: 'stable-11146-2', values: fullRepository(`${component}.image`) })),
      { upstream: 'docker.io/coturn/coturn', tag: '4.17.2', values: fullRepository('coturn.image') },
      // coturn's init container, which writes its configuration before the server starts.
      { upstream: 'docker.io/library/busybox', tag: '1.38.0', values: (i) => nest('coturn.initContainers.busybox.image', `${i.reference}:${i.tag}`) },
    ],
  },
  'cloudnative-pg': {
    name: 'cloudnative-pg', license: 'Apache-2.0', version: '0.29.0', repository: 'https://cloudnative-pg.github.io/charts',
    documentation: 'https://github.com/cloudnative-pg/charts/tree/main/charts/cloudnative-pg',
    images: [{ upstream: 'ghcr.io/cloudnative-pg/cloudnative-pg', tag: '1.30.0', values: fullRepository('image') }],
  },
  cluster: {
    name: 'cluster', license: 'Apache-2.0', version: '0.8.1', repository: 'https://cloudnative-pg.github.io/charts',
    documentation: 'https://github.com/cloudnative-pg/charts/tree/main/charts/cluster',
    images: [{ upstream: 'ghcr.io/cloudnative-pg/postgresql', tag: '16', values: (i) => nest('cluster.imageName', `${i.reference}:${i.tag}`) }],
  },
  valkey: {
    name: 'valkey', license: 'BSD-3-Clause', version: '0.11.0', repository: 'https://valkey.io/valkey-helm/',
    documentation: 'https://github.com/valkey-io/valkey-helm',
    images: [{ upstream: 'docker.io/valkey/valkey', tag: '9.1.1', values: registryAndRepository('image') }],
  },
  'cert-manager': {
    name: 'cert-manager', license: 'Apache-2.0', version: 'v1.21.1', repository: 'oci://quay.io/jetstack/charts',
    documentation: 'https://cert-manager.io/docs/installation/helm/',
    // One registry and namespace for the controller, webhook, cainjector, acmesolver and startupapicheck images.
    images: [{
      upstream: 'quay.io/jetstack/cert-manager-controller', tag: 'v1.21.1',
      values: (i) => ({ imageRegistry: i.registry || 'quay.io', imageNamespace: i.repository.replace(/\/cert-manager-controller$/, '') }),
    }],
  },
  velero: {
    name: 'velero', license: 'Apache-2.0', version: '12.1.0', repository: 'https://vmware-tanzu.github.io/helm-charts',
    documentation: 'https://github.com/vmware-tanzu/helm-charts/tree/main/charts/velero',
    images: [
      { upstream: 'docker.io/velero/velero', tag: 'v1.18.1', values: fullRepository('image') },
      // The S3 object-store plugin, copied into Velero's plugin directory by an init container.
      {
        upstream: 'docker.io/velero/velero-plugin-for-aws', tag: 'v1.13.1',
        values: (i) => ({
          initContainers: [{
            name: 'velero-plugin-for-aws', image: `${i.reference}:${i.tag}`, imagePullPolicy: 'IfNotPresent',
            volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
          }],
        }),
      },
      { upstream: 'registry.k8s.io/kubectl', tag: 'v1.34.5', values: (i) => nest('kubectl.image', { repository: i.reference, tag: i.tag }) },
    ],
  },
  'fluent-bit': {
    name: 'fluent-bit', license: 'Apache-2.0', version: '0.58.1', repository: 'https://fluent.github.io/helm-charts/',
    documentation: 'https://github.com/fluent/helm-charts/tree/main/charts/fluent-bit',
    images: [{ upstream: 'cr.fluentbit.io/fluent/fluent-bit', tag: '5.1.1', values: fullRepository('image') }],
  },
  prometheus: {
    name: 'prometheus', license: 'Apache-2.0', version: '29.27.0', repository: 'https://prometheus-community.github.io/helm-charts',
    documentation: 'https://github.com/prometheus-community/helm-charts/tree/main/charts/prometheus',
    // The tag is the chart's appVersion, written out so that the mirror and the policy see it.
    images: [
      { upstream: 'quay.io/prometheus/prometheus', tag: 'v3.14.0', values: fullRepository('server.image') },
      { upstream: 'quay.io/prometheus-operator/prometheus-config-reloader', tag: 'v0.93.1', values: fullRepository('configmapReload.prometheus.image') },
    ],
  },
  xwiki: {
    name: 'xwiki', license: 'LGPL-2.1', version: '1.6.8', repository: 'https://xwiki-contrib.github.io/xwiki-helm',
    documentation: 'https://github.com/xwiki-contrib/xwiki-helm/tree/master/charts/xwiki',
    // XWiki 17.10 (LTS) on Tomcat with the PostgreSQL JDBC driver; the chart joins `image.name` and `image.tag`.
    images: [{ upstream: 'docker.io/library/xwiki', tag: '17.10.12-postgres-tomcat', values: (i) => nest('image', { name: i.reference, tag: i.tag }) }],
  },
  traefik: {
    name: 'traefik', license: 'Apache-2.0', version: '41.3.0', repository: 'https://traefik.github.io/charts',
    documentation: 'https://github.com/traefik/traefik-helm-chart',
    images: [{ upstream: 'docker.io/traefik', tag: 'v3.7.11', values: registryAndRepository('image') }],
  },
  openproject: {
    name: 'openproject', license: 'GPL-3.0-only', version: '13.10.2', repository: 'https://charts.openproject.org',
    documentation: 'https://github.com/opf/helm-charts/tree/main/charts/openproject',
    images: [
      { upstream: 'docker.io/openproject/openproject', tag: '17.7.2-slim', values: registryAndRepository('image') },
      { upstream: 'docker.io/openproject/hocuspocus', tag: 'release-338001b2', values: registryAndRepository('hocuspocus.image') },
      // The init container that waits for the database (pg_isready).
      { upstream: 'docker.io/library/postgres', tag: '16', values: registryAndRepository('dbInit.image') },
      // The bundled memcached subchart (Bitnami): its image keys are the subchart's.
      { upstream: 'docker.io/bitnamilegacy/memcached', tag: '1.6.24-debian-12-r0', values: registryAndRepository('memcached.image') },
    ],
  },
} as const satisfies Record<string, ChartFacts>;

/** A chart of the suite. */
export type ChartName = keyof typeof CHARTS;
