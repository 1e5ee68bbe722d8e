/**
 * Terraform reads every string of cdk.tf.json as a template. Without a
 * Terraform binary and providers here, this checks the templates offline:
 * every `${…}` is either escaped (`$${`) or a reference to something the
 * configuration declares.
 */
import { synth, workplace } from '../util';

function interpolations(text: string): string[] {
  // Skip escaped $${…}; collect the rest.
  return [...text.matchAll(/(?<!\$)\$\{([^}]*)\}/g)].map((m) => m[1]);
}

describe('Terraform templates in the synthesized configuration', () => {
  const out = synth(workplace({ logging: { endpoint: 'https://logs.agency.example/loki/api/v1/push', credentialsSecret: 'loki-push' } }));
  const declared = new Set<string>([
    ...Object.entries(out.json.resource ?? {}).flatMap(([type, named]) => Object.keys(named).map((name) => `${type}.${name}`)),
  ]);

  it('references only declared resources', () => {
    const refs = interpolations(out.text);
    expect(refs.length).toBeGreaterThan(20);
    const unknown = refs.filter((ref) => {
      const [type, name] = ref.split('.');
      return !declared.has(`${type}.${name}`);
    });
    expect(unknown).toEqual([]);
  });

  it('escapes the shell and Fluent Bit variables inside chart values', () => {
    expect(out.text).toContain('$${COLLABORA_URL:-}');
    expect(out.text).toContain('HTTP_Passwd $${LOG_SINK_PASSWORD}');
  });

  it('fails if a literal ${ slipped through (the check can fail)', () => {
    expect(interpolations('"a ${HOME} b"')).toEqual(['HOME']);
    expect(interpolations('"a $${HOME} b"')).toEqual([]);
  });
});
