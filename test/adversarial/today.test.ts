/**
 * Attacks on what changed with the proof/ folder, ClusterConnection and
 * DeclaredIssuer, setting names, the CLI detection and the pull-request
 * review. Each "Closed hole" was a way through when these tests were written;
 * its test asserts the secure behaviour that closed it. The other tests assert
 * refusals that held from the start.
 */
import { mkdirSync, mkdtempSync, readdirSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { App, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { CODE_SETTING_NAMES, Jurisdiction, SPEC_SETTING_NAMES } from '../../constructs/jurisdiction';
import { AppNamespace, ClusterConnection, DeclaredIssuer, GeneratedSecret } from '../../constructs/platform';
import { DeclaredPlacement, SovereignStack } from '../../constructs/proof';
import {
  REVIEW_MARKER, SovereigntyReport, SynthesizedStack, pullRequestVerdict, renderPullRequestComment, review,
} from '../../constructs/report';
import { listDeployments } from '../../cli/pr/deployments';
import { reviewCheckouts } from '../../cli/pr/review-checkouts';
import { clearPreviousResults } from '../../stacks/output-folder';
import { TEST_API_SERVER, TEST_PROVIDER_MIRROR, minimalStack, ruleIds, scope, synth } from '../util';

/** A Deployment whose one container runs `image`. */
function deploymentOf(parent: Construct, id: string, image: string): void {
  new DeploymentV1(parent, id, {
    metadata: { name: id.toLowerCase(), namespace: 'team' },
    spec: {
      selector: { matchLabels: { app: id.toLowerCase() } },
      template: { metadata: { labels: { app: id.toLowerCase() } }, spec: { container: [{ name: 'main', image }] } },
    },
  });
}

/** A stack like minimalStack, without its providers, for ClusterConnection. */
function bareStack(app: App = Testing.app(), id = 'test'): SovereignStack {
  return new SovereignStack(app, id, {
    jurisdiction: Jurisdiction.of('DE'), clusterLocation: 'stackit/eu01', report: false, terminal: false,
    locations: [TEST_API_SERVER, TEST_PROVIDER_MIRROR], providerMirror: `https://${TEST_PROVIDER_MIRROR.pattern}/`,
  });
}

const errorsAt = (out: ReturnType<typeof synth>, path: string) => out.errors.filter((a) => a.constructPath === path);

describe('registry dedupe (a scanned image judged by the declared placement of the same name)', () => {
  // Closed hole: the dedupe compares name and resolution only, not the owner. Suppressions are scoped by construct path,
  // so a declared image under a suppressed path (a team can write a DeclaredPlacement anywhere) swallows the
  // unsuppressed finding of a scanned image of the same name, any tag, anywhere else in the stack.
  it('keeps the error of an image pulled in another construct when the declared image of that name is suppressed', () => {
    const stack = minimalStack({
      report: false, profile: 'strict',
      suppressions: [{ rule: 'SD-SUPPLY-CHAIN', path: 'test/Sandbox', reason: 'sandbox image accepted by the platform team until Q3' }],
    });
    new DeclaredPlacement(scope(stack, 'Sandbox'), 'Image', { kind: 'registry', target: 'docker.io/library/nginx:1.27', description: 'sandbox image' });
    deploymentOf(scope(stack, 'Prod'), 'Web', 'docker.io/library/nginx:latest');
    const out = synth(stack);
    expect(ruleIds(errorsAt(out, 'test/Prod/Web'))).toContain('SD-SUPPLY-CHAIN');
  });

  // Closed hole (the same shape, older than today): a scanned endpoint on the host of a declared data placement, resolved
  // the same way, is dropped whatever its owner, so a suppression scoped to the declared placement's path covers it.
  it('keeps the error of an endpoint in another construct when the declared placement on that host is suppressed', () => {
    const stack = minimalStack({
      report: false,
      suppressions: ['SD-RESIDENCY', 'SD-OPERATOR'].map((rule) => ({ rule, path: 'test/Sandbox', reason: 'sandbox logs accepted by the data protection officer' })),
    });
    new DeclaredPlacement(scope(stack, 'Sandbox'), 'Logs', { kind: 'log-sink', target: 'https://s3.us-east-1.amazonaws.com/sandbox-logs', description: 'sandbox log sink' });
    new ConfigMapV1(scope(stack, 'Prod'), 'Config', { metadata: { name: 'c', namespace: 'team' }, data: { export: 'https://s3.us-east-1.amazonaws.com/citizen-records' } });
    expect(errorsAt(synth(stack), 'test/Prod/Config').length).toBeGreaterThan(0);
  });

  it('control: without the declared log sink, the same ConfigMap fails', () => {
    const stack = minimalStack({ report: false });
    new ConfigMapV1(scope(stack, 'Prod'), 'Config', { metadata: { name: 'c', namespace: 'team' }, data: { export: 'https://s3.us-east-1.amazonaws.com/citizen-records' } });
    expect(ruleIds(errorsAt(synth(stack), 'test/Prod/Config')).sort()).toEqual(['SD-OPERATOR', 'SD-RESIDENCY']);
  });

  it('control: without the declared image, the same Deployment fails in strict', () => {
    const stack = minimalStack({ report: false, profile: 'strict' });
    deploymentOf(scope(stack, 'Prod'), 'Web', 'docker.io/library/nginx:latest');
    expect(ruleIds(errorsAt(synth(stack), 'test/Prod/Web'))).toContain('SD-SUPPLY-CHAIN');
  });

  it.each([
    ['another registry, same repository path', 'quay.io/library/nginx:1'],
    ['the implicit docker.io for a bare name', 'library/nginx:1'],
    ['the declared host as a prefix of another', 'harbor.agency.example.evil.example/library/nginx:1'],
  ])('refuses to merge an image behind a different registry: %s', (_name, scanned) => {
    const stack = minimalStack({
      report: false, profile: 'strict',
      locations: [{ pattern: 'harbor.agency.example', countries: ['DE'], operator: 'DE' }],
    });
    new DeclaredPlacement(scope(stack, 'Mirror'), 'Image', { kind: 'registry', target: 'harbor.agency.example/library/nginx:1', description: 'mirrored image' });
    deploymentOf(scope(stack, 'Prod'), 'Web', scanned);
    expect(errorsAt(synth(stack), 'test/Prod/Web').length).toBeGreaterThan(0);
  });

  it('merges only the same name: a digest form of an in-bounds image stays in bounds, the same path abroad fails', () => {
    const stack = minimalStack({ report: false, profile: 'strict', locations: [{ pattern: 'harbor.agency.example', countries: ['DE'], operator: 'DE' }] });
    new DeclaredPlacement(scope(stack, 'Mirror'), 'Image', { kind: 'registry', target: 'harbor.agency.example/library/nginx:1', description: 'mirrored image' });
    const prod = scope(stack, 'Prod');
    deploymentOf(prod, 'Digest', 'harbor.agency.example/library/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
    deploymentOf(prod, 'Abroad', 'ghcr.io/library/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
    const out = synth(stack);
    expect(errorsAt(out, 'test/Prod/Digest')).toEqual([]);
    expect(errorsAt(out, 'test/Prod/Abroad').length).toBeGreaterThan(0);
  });
});

describe('DeclaredIssuer', () => {
  it("'in-cluster' does not hide an ACME ClusterIssuer of the same name defined in the same stack", () => {
    const stack = minimalStack({ report: false });
    const team = scope(stack, 'Tls');
    new DeclaredIssuer(team, 'Issuer', { clusterIssuer: 'internal-ca', server: 'in-cluster' });
    new Manifest(team, 'ClusterIssuer', {
      manifest: {
        apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'internal-ca' },
        spec: { acme: { server: 'https://acme-v02.api.letsencrypt.org/directory', privateKeySecretRef: { name: 'k' }, solvers: [{ http01: { ingress: { class: 'nginx' } } }] } },
      },
    });
    expect(ruleIds(errorsAt(synth(stack), 'test/Tls/ClusterIssuer'))).toEqual(expect.arrayContaining(['SD-RESIDENCY', 'SD-OPERATOR']));
  });
});

describe('exit code of an app run directly with node', () => {
  const continueSynth = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  afterEach(() => {
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = continueSynth;
  });

  // Closed hole: "under the cdktf CLI" is the context key cdktfRelativeModules, which any app can set
  // (new App({ context }), node.setContext, or CDKTF_CONTEXT_JSON left in the environment). Run with node,
  // such an app has error findings, prints FAIL on stdout and exits 0. The CLI always also sets
  // CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS=true; without it, nothing will turn the errors into a failing exit.
  it('exits 1 on an error finding when the CLI context key is set but the CLI is not running the app', () => {
    delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    const app = new App({ outdir: Testing.app().outdir, context: { cdktfRelativeModules: [] } });
    const stack = new SovereignStack(app, 'spoofed', { jurisdiction: Jurisdiction.of('DE'), clusterLocation: 'aws/us-east-1', report: false, terminal: false });
    app.synth();
    expect(stack.prove().findings.some((f) => f.severity === 'error')).toBe(true);
    expect(process.exitCode).toBe(1);
  });

  it('exits 1 when one of two stacks fails and the other passes, whatever their order', () => {
    for (const order of [['pass', 'fail'], ['fail', 'pass']]) {
      process.exitCode = undefined;
      const app = new App({ outdir: Testing.app().outdir });
      for (const name of order) {
        new SovereignStack(app, name, { jurisdiction: Jurisdiction.of('DE'), clusterLocation: name === 'pass' ? 'stackit/eu01' : 'aws/us-east-1', report: false, terminal: false });
      }
      app.synth();
      expect(process.exitCode).toBe(1);
    }
  });

  // Closed hole (older than today, in the moved proof/ code): prove() is public and caches its result. A call before
  // the tree is finished (a team printing a summary in main.ts) freezes the inventory: a DeclaredPlacement added
  // afterwards writes nothing to cdk.tf.json, so SD-WRITTEN does not notice, and it is never judged.
  it('judges a placement declared after an early call of prove()', () => {
    const stack = minimalStack({ report: false });
    stack.prove();
    new DeclaredPlacement(scope(stack, 'Late'), 'Backup', { kind: 'backup', target: 'https://s3.us-east-1.amazonaws.com', description: 'backup target' });
    expect(ruleIds(synth(stack).errors)).toContain('SD-RESIDENCY');
  });
});

describe('settingNames words fixes, never verdicts', () => {
  const verdict = (names: typeof SPEC_SETTING_NAMES) => {
    const stack = minimalStack({ report: false, profile: 'strict', settingNames: names, clusterLocation: 'aws/us-east-1' });
    new DeclaredPlacement(scope(stack, 'Team'), 'Backup', { kind: 'backup', target: 'https://s3.us-east-1.amazonaws.com', description: 'backup', field: names.registryMirror });
    deploymentOf(scope(stack, 'Prod'), 'Web', 'docker.io/library/nginx:1');
    const out = synth(stack);
    return { errors: ruleIds(out.errors).sort(), warnings: ruleIds(out.warnings).sort(), paths: out.errors.map((a) => a.constructPath).sort() };
  };

  it('gives the same findings with spec names, code names and a hostile names object', () => {
    const hostile = { ...SPEC_SETTING_NAMES, vocabulary: 'code' as const, registryMirror: 'backup', locations: '', declareLocation: () => '' };
    const spec = verdict(SPEC_SETTING_NAMES);
    expect(spec.errors.length).toBeGreaterThan(0);
    expect(verdict(CODE_SETTING_NAMES)).toEqual(spec);
    expect(verdict(hostile)).toEqual(spec);
  });
});

describe('ClusterConnection', () => {
  // Closed hole: a single userinfo passes parseEndpoint, and ClusterConnection writes props.apiServer as given (the spec
  // path writes the canonical form without it). The password lands in cdk.tf.json (provider host and backend
  // config), which review:pr uploads in its artifact, and the proof reports nothing.
  it('does not write credentials in the API server URL into the configuration', () => {
    const stack = bareStack();
    let built = true;
    try {
      new ClusterConnection(stack, 'Connection', { apiServer: `https://admin:s3cret@${TEST_API_SERVER.pattern}:6443` });
    } catch {
      built = false;
    }
    if (built) expect(synth(stack).text).not.toContain('s3cret');
  });

  it.each([
    ['http scheme', 'http://api.k8s.test.example:6443'],
    ['hex IPv4', 'https://0x7f.1:6443'],
    ['two userinfos', 'https://a@api.k8s.test.example@203.0.113.9:6443'],
    ['backslash', 'https://api.k8s.test.example\\@203.0.113.9:6443'],
    ['percent-encoded host', 'https://api.k8s.test.%65xample:6443'],
    ['port out of range', 'https://api.k8s.test.example:65536'],
  ])('refuses an apiServer with %s', (_name, apiServer) => {
    expect(() => new ClusterConnection(bareStack(), 'Connection', { apiServer })).toThrow(/is not an https:\/\/ URL/);
  });

  it('refuses a declared name written as the user part before another host', () => {
    expect(() => new ClusterConnection(bareStack(), 'Connection', { apiServer: `https://${TEST_API_SERVER.pattern}@203.0.113.9:6443` }))
      .toThrow(/holds a user name or password/);
  });

  it('an aliased random provider of the team leaves the generated secrets placed and proven', () => {
    const stack = bareStack();
    new ClusterConnection(stack, 'Connection', { apiServer: `https://${TEST_API_SERVER.pattern}:6443` });
    new RandomProvider(stack, 'Aliased', { alias: 'team' });
    const ns = new AppNamespace(stack, 'Ns', { name: 'team', app: 'team' });
    new GeneratedSecret(stack, 'Secret', { namespace: ns.reference, name: 'db', generated: ['password'] });
    const out = synth(stack);
    expect(out.errors).toEqual([]);
    // No default configuration is written; Terraform then uses an empty one for random, which has no settings.
    expect(Object.keys(out.json.resource ?? {})).toContain('random_password');
  });
});

describe('keepStackFolders', () => {
  it('empties an old stack folder so no cdk.tf.json, override file or local state of it is left for a later deploy', () => {
    const out = mkdtempSync(join(tmpdir(), 'desk-keep-'));
    const old = join(out, 'stacks', 'old');
    mkdirSync(join(old, '.terraform'), { recursive: true });
    for (const file of ['cdk.tf.json', 'exfil_override.tf.json', '.terraform/terraform.tfstate']) writeFileSync(join(old, file), '{}');
    writeFileSync(join(out, 'manifest.json'), '{}');
    clearPreviousResults(out, { keepStackFolders: true });
    expect(readdirSync(old)).toEqual([]);
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
  });
});

/** A minimal report of one stack with the given findings and placements. */
function report(stack: string, fields: Partial<SovereigntyReport>): SynthesizedStack {
  return {
    resources: {},
    report: {
      stack, verdict: 'pass', jurisdiction: 'DE', operators: 'DE', profile: 'sovereign', state: '',
      counts: { errors: 0, warnings: 0, suppressed: 0, placements: 0 },
      placements: [], findings: [], suppressed: [], unusedSuppressions: [], ...fields,
    } as unknown as SovereigntyReport,
  };
}

const finding = (severity: 'error' | 'warning', extra: Record<string, string> = {}) => ({
  ruleId: 'SD-SUPPLY-CHAIN', title: 't', severity, objective: 'SOV-5', owner: 'Workplace/Chat', target: 'docker.io/matrixdotorg/synapse:v1',
  problem: 'image served by an image registry outside the bounds', fix: 'mirror it', explanation: 'e', ...extra,
});

describe('review:pr verdict and comment', () => {
  // Closed hole: findings are compared by rule, owner and target, not severity. A head that turns a warning into an
  // error (profile sovereign -> strict, or a rule made stricter) adds an error the base did not have, yet the
  // review says PASS and exits 0.
  it('counts a finding that was a warning in the base and is an error in the head as a new error', () => {
    const base = new Map([['agency-de', report('agency-de', { findings: [finding('warning')] as never })]]);
    const head = new Map([['agency-de', report('agency-de', { verdict: 'fail', profile: 'strict', findings: [finding('error')] as never })]]);
    const pr = { reviews: review(base, head), specs: { 'agency-de': 'stacks/default-deployment.yaml' }, problems: [] };
    expect(pullRequestVerdict(pr).exitCode).toBe(1);
  });

  // Closed hole: a placement's target (a spec URL: parseEndpoint keeps `<`, `>` and `!` in the path) and a suppression's
  // reason (free text) go into the comment outside code spans. `<!--` hides every later line of the comment on
  // GitHub, raw HTML renders, and an @mention in a reason pings people from the bot's comment.
  it('writes spec-controlled text into the comment inertly', () => {
    const placement = {
      kind: 'backup', owner: 'Workplace/Backups', app: 'platform', target: 'https://fsn1.your-objectstorage.com/<!--',
      description: 'backup', countries: ['DE'], evidence: 'catalogue',
    };
    const base = new Map([['agency-de', report('agency-de', {})]]);
    const head = new Map([['agency-de', report('agency-de', {
      placements: [placement] as never,
      suppressed: [finding('warning', { reason: 'accepted by @security-team <img src=x> <!-- sovereign-desk-review -->' })] as never,
    })]]);
    const comment = renderPullRequestComment({ reviews: review(base, head), specs: { 'agency-de': 'deployments/a.yaml' }, problems: [] });
    const outsideCode = comment.replace(/`[^`\n]*`/g, '');
    expect(outsideCode.split(REVIEW_MARKER).length).toBe(2);
    expect(outsideCode.split('<!--').length).toBe(2); // the comment's own marker, and no other
    expect(outsideCode).not.toMatch(/<img/);
    expect(outsideCode).not.toMatch(/(^|\s)@security-team/);
  });

  it('refuses a linked spec in deployments/ instead of following it', () => {
    const root = mkdtempSync(join(tmpdir(), 'desk-links-'));
    mkdirSync(join(root, 'deployments'));
    writeFileSync(join(root, 'outside.yaml'), 'x: 1\n');
    symlinkSync(join(root, 'outside.yaml'), join(root, 'deployments', 'linked.yaml'));
    const listed = listDeployments('head', root);
    expect(listed.deployments.map((d) => d.target)).toEqual(['stacks/default-deployment.yaml']);
    expect(listed.problems.map((p) => p.summary)).toEqual([expect.stringContaining('symbolic link')]);
  });

  // Closed hole: the workflow runs the head's own review:pr, and the review runs each checkout's cdktf.json app and
  // trusts the report it writes. So the head's code judges the head: a pull request that edits a rule (or the
  // app command) together with a move abroad reviews as PASS. The check here: a head whose app writes a
  // configuration with state in us-east-1 and a report saying pass.
  it("does not take the head's word for its own verdict", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-self-judged-'));
    const fakeApp = (verdict: 'pass') => `
      const fs = require('fs'); const path = require('path');
      const out = process.env.CDKTF_OUTDIR;
      fs.mkdirSync(path.join(out, 'stacks', 'agency-de'), { recursive: true });
      fs.mkdirSync(path.join(out, 'sovereignty'), { recursive: true });
      fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ stacks: { 'agency-de': { synthesizedStackPath: 'stacks/agency-de/cdk.tf.json', annotations: [] } } }));
      fs.writeFileSync(path.join(out, 'stacks', 'agency-de', 'cdk.tf.json'), JSON.stringify({ terraform: { backend: { s3: { bucket: 'state', region: 'us-east-1' } } } }));
      fs.writeFileSync(path.join(out, 'sovereignty', 'agency-de.json'), JSON.stringify({ stack: 'agency-de', verdict: '${verdict}', placements: [], findings: [], suppressed: [], unusedSuppressions: [] }));
    `;
    for (const side of ['base', 'head']) {
      mkdirSync(join(dir, side));
      writeFileSync(join(dir, side, 'cdktf.json'), JSON.stringify({ app: 'node app.js' }));
      writeFileSync(join(dir, side, 'app.js'), fakeApp('pass'));
    }
    const result = await reviewCheckouts({ base: join(dir, 'base'), head: join(dir, 'head'), out: join(dir, 'out'), concurrency: 2 });
    expect(result.verdict.exitCode).not.toBe(0);
  });
});
