/**
 * Terraform string templates in synthesized JSON: `${…}` interpolations and
 * `%{…}` directives are computed at apply time. The scan substitutes the ones
 * whose value the configuration itself proves, and reports the rest.
 *
 * Pure: works on the JSON that `cdktf synth` writes.
 */

/** What a template's references may be replaced with. */
export interface ProvenValues {
  /** The literal name of a namespace or secret, by `type.name`. */
  readonly metadataNames: ReadonlyMap<string, string>;
  /** `type.name` of resources whose attributes are harmless (random values, keys, times). */
  readonly harmless: ReadonlySet<string>;
  /** Names of variables of type number or bool. */
  readonly scalarVariables: ReadonlySet<string>;
}

/** A string with its templates evaluated as far as the configuration proves them. */
export interface EvaluatedTemplate {
  /** The text with escapes (`$${`, `%%{`) undone and proven references substituted. */
  readonly text: string;
  /** True when some interpolation or directive could not be proven. */
  readonly computed: boolean;
}

/** What a harmless reference (a random value, a key, a time) is replaced with. */
export const PLACEHOLDER = 'x0';
/**
 * What a computed expression is replaced with: a private-use character, which
 * no host, address or image contains, so that nothing is read into it.
 */
export const COMPUTED_MARK = '\uE000';
/** What a number or bool variable is replaced with. */
export const SCALAR_PLACEHOLDER = '0';

const RESOURCE_TYPES_WITH_HARMLESS_ATTRIBUTES = /^(random_[a-z0-9_]+|tls_private_key|time_[a-z0-9_]+)$/;
const METADATA_TYPES = /^(kubernetes_namespace(_v1)?|kubernetes_secret(_v1)?)$/;
const NAME = String.raw`[A-Za-z_][A-Za-z0-9_-]*`;
const ATTRIBUTES = String.raw`(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\]|\.\d+)*`;
const METADATA_NAME = new RegExp(String.raw`^(${NAME}\.${NAME})(?:\[\d+\]|\.\d+)?\.metadata(?:\[0\]|\.0)\.name$`);
const RESOURCE_ATTRIBUTE = new RegExp(String.raw`^(${NAME}\.${NAME})(?:\[\d+\]|\.\d+)?${ATTRIBUTES}$`);
const VARIABLE = new RegExp(String.raw`^var\.(${NAME})$`);

/**
 * The proven values of a configuration: the `metadata[0].name` of
 * `kubernetes_namespace(_v1)` and `kubernetes_secret(_v1)` resources (the
 * literal, or {@link PLACEHOLDER} when the name is itself computed — which
 * the scan reports where it is written), the
 * resources of type `random_*`, `tls_private_key` and `time_*`, and the
 * variables whose `type` is `number` or `bool`.
 */
export function provenValues(config: {
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly variable?: Record<string, unknown>;
}): ProvenValues {
  const metadataNames = new Map<string, string>();
  const harmless = new Set<string>();
  for (const [type, blocks] of Object.entries(config.resource ?? {})) {
    for (const [name, block] of Object.entries(blocks ?? {})) {
      if (RESOURCE_TYPES_WITH_HARMLESS_ATTRIBUTES.test(type)) harmless.add(`${type}.${name}`);
      if (METADATA_TYPES.test(type)) metadataNames.set(`${type}.${name}`, metadataName(block) ?? PLACEHOLDER);
    }
  }
  const scalarVariables = new Set<string>();
  for (const [name, block] of Object.entries(config.variable ?? {})) {
    const type = block && typeof block === 'object' ? (block as Record<string, unknown>).type : undefined;
    if (typeof type === 'string' && /^(\$\{)?(number|bool)\}?$/.test(type)) scalarVariables.add(name);
  }
  return { metadataNames, harmless, scalarVariables };
}

function metadataName(block: unknown): string | undefined {
  if (!block || typeof block !== 'object') return undefined;
  const raw = (block as Record<string, unknown>).metadata;
  const metadata = Array.isArray(raw) ? raw[0] : raw;
  const name = metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>).name : undefined;
  return typeof name === 'string' && !/[$%]\{/.test(name) ? name : undefined;
}

/**
 * Evaluates a Terraform template as far as the configuration proves it.
 *
 * `$${` and `%%{` are literal `${` and `%{` (the escapes cdktf writes).
 * An interpolation is proven when it is exactly one reference to:
 * the `metadata[0].name` (or `.metadata.0.name`) of a namespace or secret
 * of the configuration (replaced by its name); any attribute of a `random_*`,
 * `tls_private_key` or `time_*` resource of the configuration (replaced by
 * {@link PLACEHOLDER}); or `var.X` where `variable.X` has type number or
 * bool (replaced by {@link SCALAR_PLACEHOLDER}). Anything else — other
 * variables, `data.`, `module.`, `local.`, function calls, attributes of
 * other resources, directives, an unterminated `${` — is computed, and is
 * replaced by {@link COMPUTED_MARK} and its string literals, so the rest of
 * the text and the literals can still be read.
 */
export function evaluateTemplate(template: string, proven: ProvenValues): EvaluatedTemplate {
  if (!/[$%]\{/.test(template)) return { text: template, computed: false };
  let text = '';
  let computed = false;
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('$${', i) || template.startsWith('%%{', i)) {
      text += template.slice(i + 1, i + 3);
      i += 3;
      continue;
    }
    if (template.startsWith('${', i) || template.startsWith('%{', i)) {
      const end = endOfExpression(template, i + 2);
      const expression = end < 0 ? undefined : template.slice(i + 2, end);
      const value = template[i] === '$' && expression !== undefined ? provenValue(expression, proven) : undefined;
      if (value === undefined) computed = true;
      text += value ?? computedText(expression ?? template.slice(i + 2));
      i = end < 0 ? template.length : end + 1;
      continue;
    }
    text += template[i];
    i += 1;
  }
  return { text, computed };
}

/**
 * What a computed expression leaves in the text: {@link COMPUTED_MARK}, and
 * the string literals it holds (`toset(["a.example"])`), which are read.
 */
function computedText(expression: string): string {
  const literals = (expression.match(/"(?:[^"\\]|\\.)*"/g) ?? []).map((l) => l.slice(1, -1).replace(/\\(.)/g, '$1'));
  return literals.length === 0 ? COMPUTED_MARK : `${COMPUTED_MARK} ${literals.join(' ')} ${COMPUTED_MARK}`;
}

/** The value of a proven reference, or undefined. */
function provenValue(raw: string, proven: ProvenValues): string | undefined {
  const expression = raw.replace(/^~/, '').replace(/~$/, '').trim();
  const metadata = METADATA_NAME.exec(expression);
  if (metadata && proven.metadataNames.has(metadata[1])) return proven.metadataNames.get(metadata[1]);
  const attribute = RESOURCE_ATTRIBUTE.exec(expression);
  if (attribute && proven.harmless.has(attribute[1])) return PLACEHOLDER;
  const variable = VARIABLE.exec(expression);
  if (variable && proven.scalarVariables.has(variable[1])) return SCALAR_PLACEHOLDER;
  return undefined;
}

/** Index of the `}` that closes an expression starting at `start`, skipping nested braces and quoted strings; -1 when unterminated. */
function endOfExpression(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = endOfQuoted(text, i + 1);
      continue;
    }
    if (c === '{') depth += 1;
    if (c === '}') {
      if (depth === 0) return i;
      depth -= 1;
    }
    i += 1;
  }
  return -1;
}

function endOfQuoted(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '"') return i + 1;
    if ((c === '$' || c === '%') && text[i + 1] === '{') {
      const end = endOfExpression(text, i + 2);
      if (end < 0) return text.length;
      i = end + 1;
      continue;
    }
    i += 1;
  }
  return text.length;
}
