import { resolve as resolvePath } from 'node:path';
import { Release } from '@cdktf/provider-helm/lib/release';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Aspects, IAspect, S3Backend, TerraformVariable, Testing } from 'cdktf';
import { IConstruct } from 'constructs';
import { Jurisdiction } from '../../constructs/jurisdiction';
import { DeclaredPlacement, SovereignStack, imageName } from '../../constructs/proof';
import { minimalStack, ruleIds, scope, synth } from '../util';

describe('SovereignStack: the generic scan catches what teams add', () => {
  it('fails if a hand-written helm_release uses a foreign chart repository and a foreign S3 host', () => {
    const stack = minimalStack({ operators: Jurisdiction.of('EU') });
    new Release(scope(stack), 'Grafana', {
      name: 'grafana', chart: 'grafana', repository: 'https://grafana.github.io/helm-charts',
      values: ['storage:\n  s3:\n    endpoint: https://s3.us-east-1.amazonaws.com\n'],
    });
    const out = synth(stack);
    expect(out.errors.map((a) => [a.constructPath, a.message.split(':')[0]])).toEqual([
      ['test/Team/Grafana', 'SD-OPERATOR Operators are under the declared law'],
      ['test/Team/Grafana', 'SD-RESIDENCY Data stays in the jurisdiction'],
    ]);
    expect(out.errors[1].message).toContain('value:        https://s3.us-east-1.amazonaws.com (in helm_release.Team_Grafana_');
    expect(out.warnings.map((a) => a.message)).toEqual([expect.stringMatching(/^SD-SUPPLY-CHAIN [\s\S]*value: *https:\/\/grafana\.github\.io/)]);
  });

  it('passes a helm_release whose repository and endpoints are proven at home', () => {
    const stack = minimalStack();
    new Release(scope(stack), 'Charts', {
      name: 'x', chart: 'x', repository: 'https://registry.opencode.de/chartrepo/x',
      values: ['s3:\n  endpoint: https://fsn1.your-objectstorage.com\n'],
    });
    expect(synth(stack).annotations).toEqual([]);
  });

  it('fails closed on a value computed at apply time', () => {
    const stack = minimalStack();
    const endpoint = new TerraformVariable(stack, 'endpoint', { type: 'string' });
    new ConfigMapV1(scope(stack), 'Config', { metadata: { name: 'c' }, data: { url: `https://${endpoint.stringValue}/push` } });
    const out = synth(stack);
    expect(ruleIds(out.errors)).toEqual(['SD-UNPROVEN']);
    expect(out.errors[0].message).toContain('computed at apply time');
  });

  it('catches resources that an aspect adds outside the visited node', () => {
    const stack = minimalStack();
    const target = scope(stack, 'Late');
    class AddsRelease implements IAspect {
      private done = false;
      visit(_node: IConstruct): void {
        if (this.done) return;
        this.done = true;
        new Release(target, 'Sneaky', { name: 's', chart: 'oci://quay.io/sneaky/chart' });
      }
    }
    Aspects.of(stack).add(new AddsRelease());
    const out = synth(stack);
    expect(out.warnings.map((a) => [a.constructPath, a.message.split(' ')[0]])).toEqual([['test/Late/Sneaky', 'SD-SUPPLY-CHAIN']]);
  });

  it('judges the state backend', () => {
    const stack = minimalStack();
    new S3Backend(stack, { bucket: 'state', key: 'k', region: 'us-east-1' });
    const out = synth(stack);
    // Abroad, and written without encrypt = true: nothing encrypts every generated secret it holds.
    expect(ruleIds(out.errors)).toEqual(['SD-KEY-CUSTODY', 'SD-STATE']);
    expect(out.errors.map((e) => e.constructPath)).toEqual(['test', 'test']);
    expect(out.errors[0].message).toContain('Terraform state (s3 backend) is not encrypted by anything in the configuration');
  });

  it('reads the state backend\'s encryption: encrypt = true is the provider\'s keys, a warning', () => {
    const stack = minimalStack();
    new S3Backend(stack, { bucket: 'state', key: 'k', region: 'us-east-1', encrypt: true });
    const out = synth(stack);
    expect(ruleIds(out.errors)).toEqual(['SD-STATE']);
    expect(out.warnings.filter((w) => w.message.startsWith('SD-KEY-CUSTODY')).map((w) => w.message.split(':')[1])).toEqual([
      ' Terraform state (s3 backend) is kept with the provider\'s keys',
    ]);
  });
});

describe('SovereignStack: declared placements', () => {
  it('annotates the declaring construct, with value and field', () => {
    const stack = minimalStack();
    new DeclaredPlacement(scope(stack), 'Logs', {
      kind: 'log-sink', target: 'https://logs.example.com', description: 'log sink', field: 'spec.logging.endpoint', keys: { custody: 'provider', readable: 'everything sent' },
    });
    const out = synth(stack);
    expect(out.errors).toEqual([expect.objectContaining({
      constructPath: 'test/Team/Logs',
      message: expect.stringContaining('value:        https://logs.example.com (spec.logging.endpoint)'),
    })]);
  });

  it('places the cluster itself', () => {
    const stack = minimalStack({ clusterLocation: 'aws/eu-central-1' });
    expect(stack.prove().placements.filter((p) => p.kind === 'cluster' && p.origin === 'declared').map((p) => [p.kind, p.target])).toEqual([['cluster', 'aws/eu-central-1']]);
    expect(ruleIds(synth(stack).errors)).toEqual(['SD-OPERATOR']);
  });

  it('lists suppressed findings as INFO with the reason, and warns about unused suppressions', () => {
    const stack = minimalStack({
      clusterLocation: 'aws/eu-central-1',
      suppressions: [
        { rule: 'SD-OPERATOR', reason: 'interim: migration to STACKIT planned for Q1' },
        { rule: 'SD-REGION-SPAN', reason: 'kept for the UpCloud pilot next year' },
      ],
    });
    const out = synth(stack);
    expect(out.errors).toEqual([]);
    expect(out.annotations.filter((a) => a.level === 'INFO').map((a) => a.message)).toEqual([
      expect.stringMatching(/^SUPPRESSED SD-OPERATOR[\s\S]*suppressed: {3}interim: migration to STACKIT planned for Q1$/),
    ]);
    expect(out.warnings.map((a) => a.message)).toEqual([expect.stringMatching(/^SD-SUPPRESSION-UNUSED suppression of SD-REGION-SPAN/)]);
  });

  it('proves once: a second synthesis adds no duplicate annotations', () => {
    const stack = minimalStack({ clusterLocation: 'aws/eu-central-1' });
    synth(stack);
    expect(synth(stack).errors).toHaveLength(1);
  });

  it('finds the SovereignStack of a construct, and fails if there is none', () => {
    const stack = minimalStack();
    expect(SovereignStack.of(scope(stack))).toBe(stack);
    expect(() => SovereignStack.of(Testing.app())).toThrow(/is not inside a SovereignStack/);
  });
});

describe('SovereignStack: state backend default', () => {
  it('adds local state at a relative path when none is set, and reports it', () => {
    const stack = minimalStack();
    stack.prepareStack();
    const out = synth(stack);
    const path = (out.json.terraform?.backend as { local: { path: string } }).local.path;
    expect(resolvePath(out.outdir, 'stacks', 'test', path)).toBe(resolvePath(process.cwd(), 'terraform.test.tfstate'));
    expect(ruleIds(out.errors)).toEqual(['SD-STATE']);
  });

  it('keeps a backend that was set', () => {
    const stack = minimalStack();
    const backend = new S3Backend(stack, { bucket: 'b', key: 'k', endpoints: { s3: 'https://fsn1.your-objectstorage.com' }, region: 'fsn1' });
    expect(stack.ensureBackendExists()).toBe(backend);
  });
});

describe('imageName', () => {
  it.each([
    ['quay.io/keycloak/keycloak:26.5.6', 'quay.io/keycloak/keycloak'],
    ['quay.io/keycloak/keycloak', 'quay.io/keycloak/keycloak'],
    ['registry.example:5000/team/app', 'registry.example:5000/team/app'],
    ['registry.example:5000/team/app:1.2@sha256:abc', 'registry.example:5000/team/app'],
    ['nginx@sha256:abc', 'nginx'],
  ])('%s is %s', (image, name) => {
    expect(imageName(image)).toBe(name);
  });
});

describe('a declared placement cannot change after it is declared', () => {
  it('fails if its target or backups are changed in place', () => {
    const stack = minimalStack();
    const declared = new DeclaredPlacement(stack, 'Db', { kind: 'database', target: 'stackit/eu01', description: 'db', backups: ['hetzner/fsn1'] });
    expect(() => { (declared.placement as { target: string }).target = 'aws/us-east-1'; }).toThrow(TypeError);
    expect(() => { (declared.placement.backups as string[]).push('aws/us-east-1'); }).toThrow(TypeError);
    expect(declared.placement.target).toBe('stackit/eu01');
  });
});
