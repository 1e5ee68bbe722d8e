/**
 * The pieces a cluster gets once, whether a Workplace installs them on a
 * cluster of its own or a Cluster stack on a shared one: the ingress, the
 * certificate issuer, the PostgreSQL operator, log shipping and the egress
 * policy of every namespace. One place, so that both install them alike.
 */
import { Construct } from 'constructs';
import { ClusterSpec, WorkplaceSpec } from '../deployment';
import {
  AppNamespace, CertManager, DeclaredIssuer, EgressPolicy, ExistingIngress, ICertificateIssuer, IIngress, LogShipping, PostgresOperator, RegistryMirror, Traefik,
} from '../platform';

/** The ClusterIssuer cert-manager gets with spec.tls.acme (a shared cluster's tenants name it). */
export const ACME_ISSUER = 'desk-acme';

/** The ingress, issuer and operator of a cluster. */
export interface ClusterBasics {
  readonly ingress: IIngress;
  readonly issuer: ICertificateIssuer;
  readonly operator: PostgresOperator;
}

/**
 * Traefik (with spec.ingress.install) or the existing controller;
 * cert-manager with an ACME ClusterIssuer (spec.tls.acme) or the existing
 * ClusterIssuer with its CA declared (an issuer names its CA only by
 * reference: the CA is a placement too); the CloudNativePG operator.
 */
export function installClusterBasics(
  scope: Construct, spec: { readonly ingress: WorkplaceSpec['ingress']; readonly tls: WorkplaceSpec['tls'] }, platform: AppNamespace, mirror: RegistryMirror,
): ClusterBasics {
  const ingress: IIngress = spec.ingress.install
    ? new Traefik(scope, 'Traefik', { namespace: new AppNamespace(scope, 'IngressNamespace', { name: spec.ingress.namespace, app: 'ingress' }), className: spec.ingress.className, mirror })
    : new ExistingIngress(spec.ingress.className, spec.ingress.namespace);
  const issuer: ICertificateIssuer = spec.tls.acme
    ? new CertManager(scope, 'CertManager', { namespace: platform, acmeServer: spec.tls.acme, email: spec.tls.email, ingress, mirror, issuerName: ACME_ISSUER })
    : new DeclaredIssuer(scope, 'Issuer', { clusterIssuer: spec.tls.issuer ?? '', server: spec.tls.issuerServer });
  const operator = new PostgresOperator(scope, 'PostgresOperator', { namespace: platform, mirror });
  return { ingress, issuer, operator };
}

/** Fluent Bit shipping every container log of the cluster to spec.logging's sink, labelled with `cluster`. */
export function shipLogs(scope: Construct, logging: NonNullable<ClusterSpec['logging']>, namespace: AppNamespace, cluster: string, mirror: RegistryMirror): LogShipping {
  return new LogShipping(scope, 'LogShipping', {
    namespace, endpoint: logging.endpoint, output: logging.output, credentialsSecret: logging.credentialsSecret, cluster, mirror,
  });
}

/** Egress denied by default in each namespace, with the allows its placements need; last, once every namespace and placement exists. */
export function restrictEgress(
  namespaces: readonly AppNamespace[], ingressNamespace: string,
  cluster: { readonly cni: WorkplaceSpec['cluster']['cni']; readonly apiServerCidrs?: readonly string[] }, cidrs: WorkplaceSpec['egress']['cidrs'],
): void {
  for (const namespace of namespaces) {
    new EgressPolicy(namespace, 'Egress', { namespace, ingressNamespace, cni: cluster.cni, cidrs, apiServerCidrs: cluster.apiServerCidrs });
  }
}
