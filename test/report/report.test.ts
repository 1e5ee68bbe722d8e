import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import type { Log } from 'sarif';
import { DEFAULT_WEIGHTS, ReportFinding, ReportPlacement, buildReport, fieldsNamed, findingLine, frameworkView, redact, renderMarkdown, renderMermaid } from '../../constructs/report';
import { DeclaredPlacement } from '../../constructs/proof';
import { loadDeployment } from '../../stacks/load-deployment';
import { WorkplaceStack } from '../../stacks/workplace-stack';
import { Testing } from 'cdktf';
import { deployment, minimalStack, scope, synth, workplace } from '../util';

const stack = workplace();
const out = synth(stack);
const read = (ext: string) => readFileSync(join(out.outdir, 'sovereignty', `agency-de.${ext}`), 'utf8');

describe('report data', () => {
  const report = JSON.parse(read('json'));

  it('is written on every synth, verdict first', () => {
    expect(report).toMatchObject({ stack: 'agency-de', verdict: 'pass', jurisdiction: 'DE', operators: 'EU (27 countries)', profile: 'sovereign' });
    expect(report.counts).toEqual({ errors: 0, warnings: 8, suppressed: 0, placements: 147 });
  });

  it('gives every copy that leaves the cluster a key custody, and says what its operator can read', () => {
    const leaving = (report.placements as ReportPlacement[]).filter((p) => p.keyCustody);
    const byOwner = Object.fromEntries(leaving.map((p) => [p.owner, p.keyCustody?.custody]));
    expect(byOwner).toMatchObject({
      'Workplace/VolumeBackups/Backup': 'client-side', 'Workplace/FilesBucketReplication/Backup': 'client-side',
      'Workplace/IdentityDatabase/Backup': 'provider', 'Workplace/FilesBucket/Bucket': 'provider', 'Workplace/LogShipping/LogSink': 'provider',
    });
    expect(Object.keys(byOwner)).toHaveLength(10);
    expect(leaving.every((p) => p.keyCustody && p.keyCustody.readable.length > 20)).toBe(true);
    // Data that stays in the cluster (databases, volumes, the state in a Secret) has none.
    expect((report.placements as ReportPlacement[]).filter((p) => ['database', 'volume', 'state'].includes(p.kind) && p.keyCustody)).toEqual([]);
    expect(read('md')).toContain('## Key custody');
    expect(read('md')).toContain('| client-side | `Workplace/VolumeBackups/Backup` |');
  });

  it('lists every placement of the inventory, sorted deterministically, with both questions answered', () => {
    const inventory = stack.prove().placements;
    expect(report.placements).toHaveLength(inventory.length);
    expect(report.placements.map((p: { owner: string }) => p.owner)).toEqual(inventory.map((p) => p.ownerPath.replace(/^agency-de\//, '')));
    const backup = report.placements.find((p: { owner: string }) => p.owner === 'Workplace/VolumeBackups/Backup');
    expect(backup).toMatchObject({
      kind: 'backup', app: 'platform', target: 'https://fsn1.your-objectstorage.com', field: 'spec.backup.endpoint',
      countries: ['DE'], operator: 'DE', parent: 'DE', proof: 'catalogue', status: 'ok',
    });
    expect(report.placements.find((p: { owner: string }) => p.owner === 'Workplace/Mail/MailStore')).toMatchObject({ app: 'mail', backups: ['https://fsn1.your-objectstorage.com'] });
    expect(JSON.parse(read('json'))).toEqual(report);
  });

  it('says where the Terraform state is', () => {
    expect(report.state).toBe('Terraform state (Secret in the cluster): DE (declared *.agency.example)');
  });

  it('is written also when findings fail the synth, with every finding and the fix', () => {
    const d = deployment({ backup: { endpoint: 'https://s3.us-east-1.amazonaws.com', bucket: 'agency-de-backups' } });
    const failing = synth(new WorkplaceStack(Testing.app(), 'agency-de', { deployment: d, terminal: false }));
    const failed = JSON.parse(readFileSync(join(failing.outdir, 'sovereignty', 'agency-de.json'), 'utf8'));
    expect(failed.verdict).toBe('fail');
    expect(failed.counts.errors).toBe(failing.errors.length);
    expect(failed.findings[0]).toEqual(expect.objectContaining({ ruleId: expect.stringMatching(/^SD-/), fix: expect.any(String), explanation: expect.any(String) }));
  });

  it('shows suppressions with their reasons', () => {
    const s = minimalStack({ clusterLocation: 'aws/eu-central-1', suppressions: [{ rule: 'SD-OPERATOR', reason: 'interim until the STACKIT migration in Q1' }] });
    const markdown = readFileSync(join(synth(s).outdir, 'sovereignty', 'test.md'), 'utf8');
    expect(markdown).toContain('- `SD-OPERATOR` at `Cluster` (aws/eu-central-1): Kubernetes cluster (nodes and volumes) is run under US law');
    expect(markdown).toContain('**Reason:** interim until the STACKIT migration in Q1');
  });

  it('removes credentials and computed values from targets', () => {
    expect(redact('https://user:secret@logs.example.com/push?token=abc')).toBe('https://logs.example.com/push');
    expect(redact('https://${aws_s3_bucket.b.bucket}.s3.amazonaws.com')).toBe('https://${…}.s3.amazonaws.com');
  });
});

describe('EU Cloud Sovereignty Framework view', () => {
  const result = stack.prove();

  it('is labelled indicative, names the source of its weights, and leaves unevidenced objectives open', () => {
    const view = frameworkView(result);
    expect(view.disclaimer).toMatch(/^Indicative only/);
    expect(view.weightsSource).toContain('June 2026');
    expect(view.objectives.filter((o) => o.seal === undefined).map((o) => o.id)).toEqual(['SOV-1', 'SOV-4', 'SOV-6', 'SOV-8']);
    expect(view.objectives.find((o) => o.id === 'SOV-2')).toMatchObject({ seal: 4, weight: DEFAULT_WEIGHTS['SOV-2'] });
  });

  it('takes the weakest evidenced objective as the overall level, and weighs the score', () => {
    const view = frameworkView(result, DEFAULT_WEIGHTS, [{ name: 'x', license: 'Apache-2.0' }]);
    expect(view.overallSeal).toBe(3); // SOV-7: code cannot evidence security operations
    const heavy = frameworkView(result, { ...DEFAULT_WEIGHTS, 'SOV-7': 100 }, [{ name: 'x', license: 'Apache-2.0' }]);
    expect(heavy.score).toBeLessThan(view.score);
    expect(heavy.weightsSource).toBe('weights set in the deployment spec');
  });

  it('drops to SEAL-0 on legal exposure when every operator is American', () => {
    // The cluster and its API server in AWS.
    const foreign = minimalStack({ clusterLocation: 'aws/eu-central-1', locations: [{ pattern: 'api.k8s.test.example', countries: ['DE'], operator: 'US' }] });
    expect(frameworkView(foreign.prove()).objectives.find((o) => o.id === 'SOV-2')?.seal).toBe(0);
  });
});

describe('renderers', () => {
  const small = minimalStack({ operators: undefined });
  new DeclaredPlacement(scope(small), 'Backup', { kind: 'backup', target: 'https://s3.us-east-1.amazonaws.com', description: 'backups', field: 'spec.backup.endpoint' });
  const report = buildReport('test', small.prove());

  it('renders Markdown: verdict, findings, inventory, map, framework', () => {
    expect(renderMarkdown(report, ['DE'])).toMatchSnapshot();
  });

  it('marks foreign edges on the map', () => {
    const map = renderMermaid(report, ['DE']);
    expect(map.split('\n')[0]).toBe('flowchart LR');
    expect(map).toContain('-. "outside DE" .->');
    expect(map).toMatch(/style l_US___AWS_us_east_1__N__Virginia fill:#fdd/);
    expect(map).toMatch(/linkStyle \d+ stroke:#c00/);
  });
});

describe('SARIF', () => {
  const sarifSchema = {
    type: 'object', required: ['version', 'runs'],
    properties: {
      version: { const: '2.1.0' },
      runs: {
        type: 'array', minItems: 1,
        items: {
          type: 'object', required: ['tool', 'results'],
          properties: {
            tool: { type: 'object', required: ['driver'], properties: { driver: { type: 'object', required: ['name', 'rules'] } } },
            results: {
              type: 'array',
              items: {
                type: 'object', required: ['ruleId', 'level', 'message', 'locations'],
                properties: {
                  level: { enum: ['error', 'warning', 'note', 'none'] },
                  message: { type: 'object', required: ['text'] },
                  locations: { type: 'array', minItems: 1, items: { type: 'object', required: ['physicalLocation'] } },
                  suppressions: { type: 'array', items: { type: 'object', required: ['kind', 'justification'] } },
                },
              },
            },
          },
        },
      },
    },
  };
  const validate = new Ajv({ strict: false }).compile(sarifSchema);

  it('is SARIF 2.1.0 with one result per finding, pointing at the spec line', () => {
    const d = deployment({ backup: { endpoint: 'https://s3.us-east-1.amazonaws.com', bucket: 'agency-de-backups' } });
    const failing = synth(new WorkplaceStack(Testing.app(), 'agency-de', { deployment: d, terminal: false, source: { path: 'test/fixtures/backup-us.yaml', text: readFileSync('test/fixtures/backup-us.yaml', 'utf8') } }));
    const log = JSON.parse(readFileSync(join(failing.outdir, 'sovereignty', 'agency-de.sarif'), 'utf8')) as Log;
    expect(validate(log)).toBe(true);
    const run = log.runs[0];
    expect(run.results).toHaveLength(failing.errors.length + failing.warnings.length);
    expect(run.properties?.keyCustody).toEqual(expect.arrayContaining([
      expect.objectContaining({ placement: 'agency-de/Workplace/VolumeBackups/Backup', custody: 'client-side' }),
    ]));
    for (const r of run.results ?? []) {
      expect(run.tool.driver.rules?.[r.ruleIndex ?? -1]?.id).toBe(r.ruleId);
    }
    const velero = run.results?.find((r) => r.locations?.[0].logicalLocations?.[0].fullyQualifiedName === 'agency-de/Workplace/VolumeBackups/Backup' && r.ruleId === 'SD-RESIDENCY');
    expect(velero?.locations?.[0].physicalLocation).toEqual({ artifactLocation: { uri: 'test/fixtures/backup-us.yaml' }, region: { startLine: 20 } });
  });

  it('gives every result a line, the line of the field the fix names', () => {
    const text = readFileSync('test/fixtures/backup-us.yaml', 'utf8');
    const d = deployment({ backup: { endpoint: 'https://s3.us-east-1.amazonaws.com', bucket: 'agency-de-backups' } });
    const failing = synth(new WorkplaceStack(Testing.app(), 'agency-de', { deployment: d, terminal: false, source: { path: 'test/fixtures/backup-us.yaml', text } }));
    const log = JSON.parse(readFileSync(join(failing.outdir, 'sovereignty', 'agency-de.sarif'), 'utf8')) as Log;
    const lines = text.split('\n');
    const results = log.runs[0].results ?? [];
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      const line = r.locations?.[0].physicalLocation?.region?.startLine ?? 0;
      expect(line).toBeGreaterThanOrEqual(1);
      const [named] = fieldsNamed(r.message.text?.split('. Fix: ')[1] ?? '');
      // The stack is built from the default spec with the fixture's backup; a section the fixture file lacks (spec.monitoring) has no line of its own.
      if (!text.includes(`\n  ${named.split('.')[1]}:`)) continue;
      expect(lines[line - 1]).toContain(`${named.split('.').pop()}:`);
    }
  });

  it('points a finding whose fix names no field at its rule\'s section, and a stack without spec lines at line 1', () => {
    const finding = { ruleId: 'SD-UNPROVEN', fix: 'declare the host', field: undefined } as unknown as ReportFinding;
    const lineOf = (field: string) => ({ 'spec.locations': 40, 'metadata.name': 4 } as Record<string, number>)[field];
    expect(findingLine(finding, lineOf)).toBe(40);
    expect(findingLine({ ...finding, ruleId: 'SD-OPERATOR' }, lineOf)).toBe(4);
    expect(findingLine(finding)).toBe(1);
  });

  it('carries suppressions with their justification', () => {
    const s = minimalStack({ clusterLocation: 'aws/eu-central-1', suppressions: [{ rule: 'SD-OPERATOR', reason: 'interim until the STACKIT migration in Q1' }] });
    const log = JSON.parse(readFileSync(join(synth(s).outdir, 'sovereignty', 'test.sarif'), 'utf8')) as Log;
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results?.[0].suppressions).toEqual([{ kind: 'external', justification: 'interim until the STACKIT migration in Q1' }]);
  });

  it('the default spec path comes from the working directory', () => {
    expect(loadDeployment().source.path).toBe('stacks/default-deployment.yaml');
    expect(existsSync(join(out.outdir, 'sovereignty', 'agency-de.sarif'))).toBe(true);
  });
});

describe('weights from the spec', () => {
  it('are used by the report of the stack', () => {
    const d = deployment({ report: { weights: { 'SOV-2': 40 } } });
    const s = synth(new WorkplaceStack(Testing.app(), 'agency-de', { deployment: d, terminal: false }));
    const report = JSON.parse(readFileSync(join(s.outdir, 'sovereignty', 'agency-de.json'), 'utf8'));
    expect(report.framework.objectives.find((o: { id: string }) => o.id === 'SOV-2').weight).toBe(40);
    expect(report.framework.objectives.find((o: { id: string }) => o.id === 'SOV-3').weight).toBe(10);
    expect(report.framework.weightsSource).toBe('weights set in the deployment spec');
  });

  it('fails if an objective id is unknown', () => {
    expect(() => deployment({ report: { weights: { 'SOV-9': 10 } as never } })).toThrow(/spec\.report\.weights/);
  });
});

describe('determinism', () => {
  it('writes the same report bytes on every synth of the same spec', () => {
    const again = synth(workplace());
    for (const ext of ['md', 'json', 'sarif']) {
      expect(readFileSync(join(again.outdir, 'sovereignty', `agency-de.${ext}`), 'utf8')).toBe(read(ext));
    }
  });
});
