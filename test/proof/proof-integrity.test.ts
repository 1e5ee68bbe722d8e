import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { App, Lazy, TerraformStack, Testing } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Jurisdiction } from '../../constructs/jurisdiction';
import { SovereignStack } from '../../constructs/proof';
import { minimalStack, ruleIds, scope, synth } from '../util';

describe('the proof is over the bytes written', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('writes the bytes the proof judged, resolved once: a value that would answer differently later (a Lazy) is not asked again', () => {
    const stack = minimalStack();
    let calls = 0;
    const url = Lazy.stringValue({ produce: () => (calls++ === 0 ? 'https://fsn1.your-objectstorage.com' : 'https://s3.us-east-1.amazonaws.com') });
    new ConfigMapV1(scope(stack), 'Config', { metadata: { name: 'c' }, data: { url } });
    const out = synth(stack);
    expect(out.errors).toEqual([]);
    expect(out.text).toContain('"url": "https://fsn1.your-objectstorage.com"');
    expect(out.text).not.toContain('amazonaws');
    expect(calls).toBe(1);
  });

  it('fails if cdk.tf.json as read back differs from the proven bytes', () => {
    const stack = minimalStack();
    new ConfigMapV1(scope(stack), 'Config', { metadata: { name: 'c' }, data: { url: 'https://fsn1.your-objectstorage.com' } });
    // A write that does not put down what it was given (a full disk, a filter in the file system).
    const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
    const write = fs.writeFileSync;
    const spy = jest.spyOn(fs, 'writeFileSync').mockImplementation((file, data, options) => write(file, String(file).endsWith('cdk.tf.json')
      ? String(data).replace('fsn1.your-objectstorage.com', 's3.us-east-1.amazonaws.com') : data, options));
    const out = synth(stack);
    spy.mockRestore();
    expect(ruleIds(out.errors)).toEqual(['SD-WRITTEN']);
    expect(out.errors[0].message).toMatch(/differs from the configuration that was proven: resource\.kubernetes_config_map_v1\.Team_Config_[0-9A-F]+\.data\.url was "https:\/\/fsn1\.your-objectstorage\.com" when proven and is "https:\/\/s3\.us-east-1\.amazonaws\.com" as written/);
    expect(process.exitCode).toBe(1);
  });

  it('fails if a file Terraform would load is written beside cdk.tf.json', () => {
    const stack = minimalStack();
    const sneaky = scope(stack, 'Sneaky');
    addCustomSynthesis(sneaky, {
      onSynthesize: (session) => writeFileSync(join(session.outdir, 'stacks', 'test', 'exfil_override.tf.json'), '{"output":{"x":{"value":"y"}}}'),
    });
    const out = synth(stack);
    expect(ruleIds(out.errors)).toEqual(['SD-WRITTEN']);
    expect(out.errors[0].message).toContain('exfil_override.tf.json in the stack\'s folder would be loaded by Terraform');
  });

  it('fails if the app writes HCL, which the proof does not cover', () => {
    const app = new App({ outdir: Testing.app().outdir, hclOutput: true });
    const stack = new SovereignStack(app, 'hcl', { jurisdiction: Jurisdiction.of('DE'), clusterLocation: 'stackit/eu01', report: false, terminal: false });
    app.synth();
    const written = stack.prove().findings.filter((f) => f.ruleId === 'SD-WRITTEN');
    expect(written.map((f) => f.problem)).toEqual([expect.stringMatching(/written as HCL \(cdk\.tf\)/)]);
  });

  it('still proves when the app skips validations', () => {
    const app = new App({ outdir: Testing.app().outdir, skipValidation: true });
    const stack = new SovereignStack(app, 'skip', { jurisdiction: Jurisdiction.of('DE'), clusterLocation: 'aws/us-east-1', report: false, terminal: false });
    app.synth();
    const annotations = stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === '@cdktf/error').map((m) => String(m.data));
    expect(annotations.some((a) => a.startsWith('SD-RESIDENCY'))).toBe(true);
    expect(process.exitCode).toBe(1);
  });

  it('passes when nothing changes after the proof', () => {
    const stack = minimalStack();
    new ConfigMapV1(scope(stack), 'Config', { metadata: { name: 'c' }, data: { url: 'https://fsn1.your-objectstorage.com' } });
    expect(synth(stack).errors).toEqual([]);
  });
});

describe('SD-UNPOLICED: every stack of the app is proven', () => {
  it('fails if a plain TerraformStack sits beside the SovereignStack', () => {
    const stack = minimalStack();
    new TerraformStack(stack.node.scope as App, 'side');
    const out = synth(stack);
    expect(ruleIds(out.errors)).toEqual(['SD-UNPOLICED']);
    expect(out.errors[0].message).toContain('stack side of the same app is not a SovereignStack');
  });

  it('is a warning in residency and passes when every stack is a SovereignStack', () => {
    const stack = minimalStack({ profile: 'residency' });
    new TerraformStack(stack.node.scope as App, 'side');
    expect(ruleIds(synth(stack).warnings)).toContain('SD-UNPOLICED');
    const lawful = minimalStack();
    new SovereignStack(lawful.node.scope as App, 'other', { jurisdiction: Jurisdiction.of('DE'), clusterLocation: 'stackit/eu01', report: false, terminal: false });
    expect(ruleIds(synth(lawful).errors)).toEqual([]);
  });
});

describe('SD-UNPOLICED in an app of many stacks', () => {
  const sovereign = (app: App, id: string) => new SovereignStack(app, id, { jurisdiction: Jurisdiction.of('DE'), clusterLocation: 'stackit/eu01', report: false, terminal: false });

  it('fails every SovereignStack of the app for a plain stack nested in one of them', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const stacks = ['a', 'b', 'c'].map((id) => sovereign(app, id));
    new TerraformStack(stacks[1], 'nested');
    app.synth();
    expect(stacks.map((s) => s.prove().findings.filter((f) => f.ruleId === 'SD-UNPOLICED').map((f) => f.placement.target))).toEqual([
      ['stack:b/nested'], ['stack:b/nested'], ['stack:b/nested'],
    ]);
  });

  it('walks the whole app once per synth, not once per stack', () => {
    const walks = (count: number) => {
      const app = new App({ outdir: Testing.app().outdir });
      for (let i = 0; i < count; i++) sovereign(app, `s${i}`);
      const findAll = jest.spyOn(app.node, 'findAll');
      app.synth();
      return findAll.mock.calls.length;
    };
    expect(walks(12)).toBe(walks(3));
    expect(walks(3)).toBeLessThanOrEqual(2);
  });
});

describe('SovereignStack props cannot widen the proof', () => {
  const build = (props: Partial<ConstructorParameters<typeof SovereignStack>[2]>) => () =>
    new SovereignStack(Testing.app(), 'team', { jurisdiction: Jurisdiction.of('DE'), clusterLocation: 'stackit/eu01', report: false, terminal: false, ...props });

  it.each([
    [{ locations: [{ pattern: '*.amazonaws.com', countries: ['DE'], operator: 'DE' }] }, /locations\[0\] \("\*\.amazonaws\.com"\): \*\.amazonaws\.com covers AWS hosts/],
    [{ locations: [{ pattern: '*.com', countries: ['DE'], operator: 'DE' }] }, /locations\[0\] \("\*\.com"\): \*\.com is not at least a registrable domain/],
    [{ ownDomains: ['amazonaws.com'] }, /ownDomains\[0\] \("amazonaws\.com"\): amazonaws\.com reaches into AWS's domains/],
    [{ clusterCidrs: ['0.0.0.0/0'] }, /clusterCidrs\[0\] \("0\.0\.0\.0\/0"\): 0\.0\.0\.0\/0 is not private address space/],
    [{ clusterCidrs: ['52.216.0.0/16'] }, /is not private address space/],
  ] as const)('fails if the props are %j', (props, message) => {
    expect(build(props as never)).toThrow(message);
  });

  it('accepts lawful declarations, own domains and private cluster ranges', () => {
    expect(build({
      locations: [{ pattern: '*.agency.example', countries: ['DE'], operator: 'DE' }, { pattern: '192.0.2.0/24', countries: ['DE'], operator: 'DE' }],
      ownDomains: ['desk.agency.example'], clusterCidrs: ['10.42.0.0/16', '100.64.0.0/16', 'fd00:42::/48'],
    })).not.toThrow();
  });
});
