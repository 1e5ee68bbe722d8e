import { NOT_APPLICABLE, Rule, nonCompliant } from '../rule';

/**
 * SD-TLS: data sent out of the cluster travels over TLS that verifies the
 * receiver: no `tls.verify Off` or `tls Off` in a Fluent Bit output, no
 * `insecure_skip_verify: true` or `insecure: true` in a Prometheus
 * remote_write or an exporter's TLS settings, no `http://` sink.
 *
 * The scan reads the written values and config files; a placement carries
 * `insecureTransport` only where such a setting was found, so there is no
 * compliant outcome. A sink inside the cluster (a Service) is not applicable:
 * its traffic never leaves.
 */
export const transportSecurity: Rule = {
  id: 'SD-TLS',
  title: 'Data leaves the cluster only over verified TLS',
  explanation:
    'Logs, metrics and backups sent in plain text, or over TLS that does not verify the receiver, can be read or redirected by anyone on the path. Every sink outside the cluster is reached over TLS with its certificate verified.',
  objective: 'SOV-3',
  severity: { residency: 'warning', sovereign: 'error', strict: 'error' },
  check: (placement) => {
    if (placement.insecureTransport === undefined) return NOT_APPLICABLE;
    if (placement.resolution.status === 'resolved' && placement.resolution.location.proof === 'cluster') return NOT_APPLICABLE;
    return nonCompliant(
      `${placement.description} sends data to ${placement.target} without verified TLS (${placement.insecureTransport})`,
      'use an https:// endpoint and verify its certificate: tls On and tls.verify On in Fluent Bit, insecure_skip_verify: false (with ca_file for a private CA) in Prometheus; or suppress SD-TLS for this path with the reason',
    );
  },
};
