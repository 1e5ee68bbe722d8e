/**
 * Sinks reached without verified TLS, read from the exact written
 * configuration: Fluent Bit outputs (classic `[OUTPUT]` sections and YAML
 * `outputs`), Prometheus `remote_write` (and the chart's `remoteWrite`), and
 * OpenTelemetry exporters. Walks any JSON value, opening the YAML and config
 * texts embedded in strings (Helm values, ConfigMap data).
 */
import { parseYaml11 } from './phone-home-settings';

/** A sink that data reaches without verified TLS. */
export interface InsecureSink {
  /** The sink: its URL, or its host. */
  readonly target: string;
  /** The setting found, e.g. `tls.verify Off in a Fluent Bit [OUTPUT] (loki)`. */
  readonly setting: string;
}

const MAX_DEPTH = 40;
/** Words Fluent Bit reads as false (its `flb_utils_bool`): off, false, no, 0 — in any case. */
const FLUENT_FALSE = /^(off|false|no|0)$/i;
/** Values a YAML or Go reader takes as true. */
const isTrue = (value: unknown) => value === true || (typeof value === 'string' && /^(true|yes|on|1)$/i.test(value.trim()));
/** Fluent Bit outputs that never send data over the network. */
const LOCAL_OUTPUTS = new Set(['stdout', 'null', 'file', 'counter', 'exit', 'flowcounter', 'lib']);
const PLAIN_HTTP = /^http:\/\//i;

/** Every sink in a value that is reached without verified TLS, in the order found. */
export function insecureSinksIn(value: unknown): InsecureSink[] {
  const found: InsecureSink[] = [];
  walk(value, undefined, found, 0);
  const seen = new Set<string>();
  return found.filter((s) => {
    const key = `${s.target}\u0000${s.setting}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function walk(value: unknown, key: string | undefined, found: InsecureSink[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    text(value, found, depth);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      if (key && /^(remote_?write|remoteWrite)$/i.test(key) && isObject(item)) remoteWrite(item, found);
      if (key === 'outputs' && isObject(item)) fluentBitYamlOutput(item, found);
      walk(item, undefined, found, depth + 1);
    }
    return;
  }
  if (!isObject(value)) return;
  if (key === 'exporters') for (const [name, exporter] of Object.entries(value)) if (isObject(exporter)) otelExporter(name, exporter, found);
  for (const [child, inner] of Object.entries(value)) walk(inner, child, found, depth + 1);
}

/** A string: a Fluent Bit classic config, or YAML/JSON to walk. */
function text(value: string, found: InsecureSink[], depth: number): void {
  if (/^\s*\[OUTPUT\]/im.test(value)) fluentBitClassic(value, found);
  if (!/[:{]/.test(value) || !/(remote_?write|remoteWrite|outputs|exporters|OUTPUT)/i.test(value)) return;
  const documents = parseYaml11(value);
  if (!documents || !documents.some((d) => d !== null && typeof d === 'object')) return;
  for (const document of documents) walk(document, undefined, found, depth + 1);
}

/** Fluent Bit's classic format: `[OUTPUT]` sections of `Key Value` lines. */
function fluentBitClassic(config: string, found: InsecureSink[]): void {
  const sections = config.split(/^\s*\[/m).filter((s) => /^OUTPUT\]/i.test(s));
  for (const section of sections) {
    const settings = new Map<string, string>();
    for (const line of section.split('\n').slice(1)) {
      const match = /^\s*([A-Za-z0-9_.]+)\s+(.*?)\s*$/.exec(line);
      if (match && !match[1].startsWith('#')) settings.set(match[1].toLowerCase(), match[2]);
    }
    fluentBitOutput(settings, found);
  }
}

/** Fluent Bit's YAML format: `pipeline.outputs[]` with `name`, `host`, `tls`, `tls.verify`. */
function fluentBitYamlOutput(output: Record<string, unknown>, found: InsecureSink[]): void {
  if (typeof output.name !== 'string') return;
  const settings = new Map<string, string>();
  for (const [key, value] of Object.entries(output)) {
    if (isObject(value) && key.toLowerCase() === 'tls') {
      for (const [inner, v] of Object.entries(value)) settings.set(`tls.${inner.toLowerCase()}`, String(v));
    } else if (value !== null && typeof value !== 'object') {
      settings.set(key.toLowerCase(), String(value));
    }
  }
  fluentBitOutput(settings, found);
}

function fluentBitOutput(settings: Map<string, string>, found: InsecureSink[]): void {
  const name = settings.get('name') ?? 'unnamed';
  if (LOCAL_OUTPUTS.has(name.toLowerCase())) return;
  const host = settings.get('host') ?? settings.get('url') ?? settings.get('uri');
  if (!host || host.includes('${')) return;
  const tls = settings.get('tls');
  const verify = settings.get('tls.verify');
  if (tls === undefined || FLUENT_FALSE.test(tls)) found.push({ target: host, setting: `tls ${tls ?? 'not set (Off)'} in a Fluent Bit [OUTPUT] (${name})` });
  else if (verify !== undefined && FLUENT_FALSE.test(verify)) found.push({ target: host, setting: `tls.verify ${verify} in a Fluent Bit [OUTPUT] (${name})` });
}

/** A Prometheus `remote_write` entry (or the chart's `remoteWrite`). */
function remoteWrite(entry: Record<string, unknown>, found: InsecureSink[]): void {
  const url = typeof entry.url === 'string' ? entry.url : undefined;
  if (!url) return;
  if (PLAIN_HTTP.test(url)) found.push({ target: url, setting: 'a plain http:// remote_write url' });
  const tls = entry.tls_config ?? entry.tlsConfig;
  if (isObject(tls) && isTrue(tls.insecure_skip_verify ?? tls.insecureSkipVerify)) {
    found.push({ target: url, setting: 'tls_config.insecure_skip_verify: true in a Prometheus remote_write' });
  }
}

/** An OpenTelemetry Collector exporter with `endpoint` and `tls`. */
function otelExporter(name: string, exporter: Record<string, unknown>, found: InsecureSink[]): void {
  const endpoint = typeof exporter.endpoint === 'string' ? exporter.endpoint : undefined;
  if (!endpoint) return;
  if (PLAIN_HTTP.test(endpoint)) found.push({ target: endpoint, setting: `a plain http:// endpoint of the exporter ${name}` });
  const tls = exporter.tls;
  if (isObject(tls) && (isTrue(tls.insecure) || isTrue(tls.insecure_skip_verify))) {
    found.push({ target: endpoint, setting: `tls.${isTrue(tls.insecure) ? 'insecure' : 'insecure_skip_verify'}: true in the exporter ${name}` });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
