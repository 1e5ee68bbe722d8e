import { transportSecurity } from '../../../constructs/policy';
import { context, placement } from '../../util';

describe('SD-TLS: data leaves the cluster only over verified TLS', () => {
  it('Noncompliance: a sink outside the cluster reached with verification off, naming the setting', () => {
    const p = placement('endpoint', 'logs.agency.example', { insecureTransport: 'tls.verify Off in a Fluent Bit [OUTPUT] (loki)' });
    expect(transportSecurity.check(p, context())).toMatchObject({
      status: 'non-compliant', problem: expect.stringContaining('logs.agency.example without verified TLS (tls.verify Off in a Fluent Bit [OUTPUT] (loki))'),
    });
  });

  it('Noncompliance: an unproven sink in plain http still fails (fail closed)', () => {
    const p = placement('endpoint', 'http://203.0.113.9/api/v1/write', { insecureTransport: 'a plain http:// remote_write url' });
    expect(transportSecurity.check(p, context()).status).toBe('non-compliant');
  });

  it('Not applicable: a sink inside the cluster, and an endpoint with no insecure setting (compliance is the absence of a finding)', () => {
    expect(transportSecurity.check(placement('endpoint', 'loki.logging.svc', { insecureTransport: 'tls Off' }), context()).status).toBe('not-applicable');
    expect(transportSecurity.check(placement('log-sink', 'https://logs.agency.example/loki/api/v1/push'), context()).status).toBe('not-applicable');
  });

  it('is an error in sovereign and strict, a warning in residency', () => {
    expect(transportSecurity.severity).toEqual({ residency: 'warning', sovereign: 'error', strict: 'error' });
  });
});
