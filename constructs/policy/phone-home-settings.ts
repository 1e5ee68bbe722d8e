/**
 * Known settings that make the suite's applications call their vendors. The
 * scan reports each one it finds turned on as an endpoint placement, so that
 * SD-PHONE-HOME (and the location rules) judge it.
 *
 * A setting is found by meaning, not by its text: wherever its name occurs as
 * a key (in an object, an env list, a helm `set` entry, or in text embedded in
 * a string: a PHP array, YAML, INI or env lines, `--o:` flags, coolwsd XML),
 * its value is read the way the application that reads it reads it, and the
 * setting is reported when that application would take it as on.
 *
 * Where the scan cannot know the value (a Terraform reference, a PHP
 * expression, an env var from a Secret), the setting counts as on: what
 * cannot be proven off fails closed.
 */
import { parseAllDocuments } from 'yaml';
import { remembered } from './yaml-documents';

/** One known call home. */
export interface PhoneHomeSetting {
  /** The setting, as a reviewer would search for it. */
  readonly setting: string;
  /** Where the call goes. */
  readonly target: string;
  readonly description: string;
  /** Names the setting is written under, matched exactly (each application reads its keys case-sensitively). */
  readonly keys: readonly string[];
  /**
   * Whether the application takes a value as on. The value is as the syntax it
   * was found in types it: a PHP literal as PHP, a YAML scalar as PyYAML, an
   * env var, flag or INI value as a string, a JSON value as itself.
   * {@link UNKNOWN_VALUE} (a value the scan cannot see) is always on.
   */
  readonly isOn: (value: unknown) => boolean;
}

/** A value the scan cannot know before apply: a reference, an expression, a value from a Secret. */
export const UNKNOWN_VALUE: unique symbol = Symbol('sovereign-desk.UnknownValue');

/**
 * PHP truthiness, as Nextcloud's `getSystemValueBool()` casts config.php
 * values (and `NC_<key>` environment variables, which are strings): off only
 * for `false`, `null`, `0`, `0.0`, `''`, `'0'` and an empty array. The string
 * `'false'` is a non-empty string, so it is on.
 */
export function phpTruthy(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (value === false || value === null || value === undefined || value === 0 || value === '' || value === '0') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/**
 * Python truthiness of a value as PyYAML loads it, as Synapse reads
 * `report_stats` (`if config.report_stats:`): off only for `false`, `null`,
 * `0`, `0.0`, `''` and empty lists and maps. YAML 1.1 plain scalars
 * `false/False/FALSE/no/No/NO/off/Off/OFF` load as false and `~`, `null` as
 * null; quoted strings stay strings, so `"false"` (and `n`, which PyYAML does
 * not take as a boolean) are on.
 */
export function pythonTruthy(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (value === false || value === null || value === undefined || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
}

/**
 * Poco's `AbstractConfiguration::parseBool`, as coolwsd reads boolean
 * settings (`--o:key=value`, coolwsd.xml): an integer is on unless it is 0;
 * `true`, `yes`, `on` are on and `false`, `no`, `off` are off, in any case.
 * Anything else does not parse, and coolwsd falls back to the default, which
 * for the settings here is on.
 */
export function pocoBool(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const text = String(value ?? '').trim();
  if (/^[+-]?\d+$/.test(text)) return Number(text) !== 0;
  return !/^(false|no|off)$/i.test(text);
}

/**
 * Poco's `AbstractConfiguration::parseInt`, as coolwsd reads numeric settings
 * (`fetch_update_check`, hours between update checks): decimal with an
 * optional sign, or hexadecimal after a lower-case `0x`. Off only for the
 * integer 0; a value that does not parse falls back to the default, which is on.
 */
export function pocoNonZero(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (typeof value === 'number') return value !== 0;
  const integer = pocoInt(String(value ?? '').trim());
  return integer === undefined || integer !== 0;
}

function pocoInt(text: string): number | undefined {
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^[+-]?\d+$/.test(text)) return Number(text);
  return undefined;
}

/**
 * docker-mailserver's `[[ ${ENABLE_UPDATE_CHECK} -eq 1 ]]` after
 * `${ENABLE_UPDATE_CHECK:=1}`: empty or unset means the default 1 (on); an
 * integer is on only when it equals 1 (bash arithmetic: `01`, `+1`, `0x1`
 * too; a leading 0 is octal); a bare word such as `true` or `yes` is an unset
 * shell variable, 0, so off. Any other expression is not evaluated and counts
 * as on.
 */
export function bashEqualsOne(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return value === 1;
  const text = String(value).trim();
  if (text === '') return true;
  const integer = bashInt(text);
  if (integer !== undefined) return integer === 1;
  return !/^[A-Za-z_][A-Za-z0-9_]*$/.test(text);
}

function bashInt(text: string): number | undefined {
  const match = /^([+-]?)(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.exec(text);
  if (!match) return undefined;
  const digits = match[2];
  const magnitude = /^0x/i.test(digits) ? parseInt(digits.slice(2), 16) : digits.startsWith('0') ? parseInt(digits, 8) : Number(digits);
  return match[1] === '-' ? -magnitude : magnitude;
}

/** JavaScript truthiness, as Element Web tests its config.json values (`''` is off, `' '` is on). */
export function jsTruthy(value: unknown): boolean {
  return value === UNKNOWN_VALUE || Boolean(value);
}

/**
 * OpenProject's boolean settings from the environment: the value is parsed as
 * YAML (Psych: `false`, `no`, `off` in any case are false) and then cast by
 * ActiveRecord's boolean type, which also takes `0`, `f`, `F` (and `false`,
 * `off` in the cases it lists) as false. Anything else, an empty value
 * included, counts as on.
 */
export function rubySettingTrue(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (value === false || value === 0) return false;
  if (typeof value !== 'string') return true;
  return !/^(false|no|off|0|f)$/i.test(value.trim());
}

/** OpenProject starts AppSignal only when `APPSIGNAL_ENABLED` is exactly the string `true`. */
function exactlyTrue(value: unknown): boolean {
  return value === UNKNOWN_VALUE || value === true || value === 'true';
}

/** Synapse: a trusted key server entry naming matrix.org (server names are DNS names: any case). */
function namesMatrixOrg(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true;
  const entries = Array.isArray(value) ? value : [];
  return entries.some((entry) => {
    const name = entry && typeof entry === 'object' ? (entry as Record<string, unknown>).server_name : entry;
    return name === UNKNOWN_VALUE || (typeof name === 'string' && name.trim().toLowerCase().replace(/\.$/, '') === 'matrix.org');
  });
}

/** Element Web initialises PostHog whenever `posthog` is set to anything but null. */
function present(value: unknown): boolean {
  return value !== null && value !== undefined;
}

/**
 * Go template truthiness, as the jitsi-meet chart tests `jvb.disableStun`
 * (`if .Values.jvb.disableStun`): off only for `false`, `0`, `null`, `''` and
 * empty lists and maps; the string `"false"` is on.
 */
export function goTruthy(value: unknown): boolean {
  return value === UNKNOWN_VALUE || pythonTruthy(value);
}

/**
 * An environment variable a docker-jitsi-meet template tests with `if .Env.X`
 * (set at all): the chart renders every value but null as a string, so off
 * only for null and `''`.
 */
export function setInEnv(value: unknown): boolean {
  return value === UNKNOWN_VALUE || (value !== null && value !== undefined && value !== '');
}

/**
 * docker-jitsi-meet's `.Env.X | default "0" | toBool` (Go's `strconv.ParseBool`):
 * off for an empty value and `0`, `f`, `F`, `false`, `FALSE`, `False`; every
 * other value counts as on.
 */
export function jitsiEnvBool(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (value === null || value === undefined || value === false || value === 0) return false;
  return !/^(|0|f|F|false|FALSE|False)$/.test(String(value));
}

/**
 * Apache Commons Configuration's boolean conversion, as XWiki reads
 * xwiki.properties: `false`, `off`, `no`, `n`, `f` (any case) are off, and so is
 * a boolean false. Anything else is on: `true`, `on`, `yes`, and a value that
 * does not convert (`0`), for which XWiki keeps the default, on.
 */
export function commonsBoolean(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (typeof value === 'boolean') return value;
  return !/^(false|off|no|n|f)$/i.test(String(value ?? '').trim());
}

/**
 * XWiki's Active Installs ping URL: off only when it points at a loopback
 * address (there is no switch; the module pings whatever URL it is given,
 * and extensions.xwiki.org when none is).
 */
function notLoopback(value: unknown): boolean {
  if (value === UNKNOWN_VALUE || typeof value !== 'string') return true;
  const match = /^https?:\/\/(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d+)?(\/[^\s]*)?$/i.exec(value.trim());
  return match === null;
}

/** XWiki's What's New sources: an empty list switches the feeds off; any source, or none written, fetches them. */
function notEmpty(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true;
  return !(value === '' || value === null || (Array.isArray(value) && value.length === 0));
}

/**
 * Each setting with the rule its application applies:
 *
 * - Nextcloud `appstoreenabled`, `updatechecker`, `has_internet_connection`
 *   (config.php, or `NC_<key>` env vars): {@link phpTruthy}.
 * - Collabora `welcome.enable` (`--o:welcome.enable=…`, coolwsd.xml): {@link pocoBool}.
 * - Collabora `fetch_update_check` (hours; 0 = never): {@link pocoNonZero}.
 * - Synapse `report_stats`: {@link pythonTruthy}.
 * - Synapse `trusted_key_servers`: on when an entry's `server_name` is matrix.org (any case).
 * - Element Web `posthog`: on when set to anything but null (Element then initialises PostHog).
 * - Element Web `integrations_ui_url`: {@link jsTruthy}.
 * - docker-mailserver `ENABLE_UPDATE_CHECK`: {@link bashEqualsOne}.
 * - jitsi-meet chart `disableStun`: on when not {@link goTruthy} (the chart's STUN server is at jitsi.net).
 * - Jitsi `AMPLITUDE_ID`, `GOOGLE_ANALYTICS_ID`: {@link setInEnv}.
 * - Jitsi `ENABLE_JAAS_COMPONENTS`: {@link jitsiEnvBool}.
 * - Jitsi Meet `disableThirdPartyRequests` (config.js): on when not {@link jsTruthy} (gravatar and other third parties).
 * - OpenProject `OPENPROJECT_SECURITY__BADGE__DISPLAYED` and `enable_gravatars`
 *   (inside `OPENPROJECT_PLUGIN__OPENPROJECT__AVATARS`, or its own env var): {@link rubySettingTrue}.
 * - OpenProject `APPSIGNAL_ENABLED`: on only for exactly `true`.
 * - XWiki `extension.security.scan.enabled`: {@link commonsBoolean}.
 * - XWiki `activeinstalls2.pingURL`: on unless a loopback URL.
 * - XWiki `whatsnew.sources`: on unless empty.
 */
export const PHONE_HOME_SETTINGS: readonly PhoneHomeSetting[] = [
  {
    setting: "Nextcloud 'appstoreenabled' => true", target: 'https://apps.nextcloud.com', description: 'Nextcloud app store',
    keys: ['appstoreenabled', 'NC_appstoreenabled'], isOn: phpTruthy,
  },
  {
    setting: "Nextcloud 'updatechecker' => true", target: 'https://updates.nextcloud.com', description: 'Nextcloud update check',
    keys: ['updatechecker', 'NC_updatechecker'], isOn: phpTruthy,
  },
  {
    setting: "Nextcloud 'has_internet_connection' => true", target: 'https://nextcloud.com', description: 'Nextcloud internet connection checks',
    keys: ['has_internet_connection', 'NC_has_internet_connection'], isOn: phpTruthy,
  },
  {
    setting: 'Collabora --o:welcome.enable=true', target: 'https://www.collaboraonline.com', description: 'Collabora welcome dialog content',
    keys: ['welcome.enable'], isOn: pocoBool,
  },
  {
    setting: 'Collabora --o:fetch_update_check (not 0)', target: 'https://www.collaboraonline.com', description: 'Collabora update check',
    keys: ['fetch_update_check'], isOn: pocoNonZero,
  },
  {
    setting: 'Synapse report_stats: true', target: 'https://matrix.org/report-usage-stats/push', description: 'Synapse usage statistics',
    keys: ['report_stats'], isOn: pythonTruthy,
  },
  {
    setting: 'Synapse trusted_key_servers: matrix.org', target: 'https://matrix.org', description: 'Synapse trusted key server',
    keys: ['trusted_key_servers'], isOn: namesMatrixOrg,
  },
  {
    setting: 'Element Web posthog (analytics)', target: 'https://posthog.element.io', description: 'Element Web analytics',
    keys: ['posthog'], isOn: present,
  },
  {
    setting: 'Element Web integrations_ui_url', target: 'https://scalar.vector.im', description: 'Element Web integration manager',
    keys: ['integrations_ui_url'], isOn: jsTruthy,
  },
  {
    setting: 'docker-mailserver ENABLE_UPDATE_CHECK: 1', target: 'https://api.github.com', description: 'docker-mailserver update check',
    keys: ['ENABLE_UPDATE_CHECK'], isOn: bashEqualsOne,
  },
  {
    setting: 'jitsi-meet jvb.disableStun: false', target: 'meet-jit-si-turnrelay.jitsi.net', description: "Jitsi Videobridge STUN (the chart's default server)",
    keys: ['disableStun'], isOn: (value) => !goTruthy(value),
  },
  {
    setting: 'Jitsi AMPLITUDE_ID', target: 'https://api.amplitude.com', description: 'Jitsi Meet analytics (Amplitude)',
    keys: ['AMPLITUDE_ID'], isOn: setInEnv,
  },
  {
    setting: 'Jitsi GOOGLE_ANALYTICS_ID', target: 'https://www.google-analytics.com', description: 'Jitsi Meet analytics (Google Analytics)',
    keys: ['GOOGLE_ANALYTICS_ID'], isOn: setInEnv,
  },
  {
    setting: 'Jitsi ENABLE_JAAS_COMPONENTS: 1', target: 'https://8x8.vc', description: 'Jitsi as a Service components (8x8: dial-in, account provisioning, rtcstats)',
    keys: ['ENABLE_JAAS_COMPONENTS'], isOn: jitsiEnvBool,
  },
  {
    setting: 'Jitsi Meet disableThirdPartyRequests: false', target: 'https://www.gravatar.com', description: 'Jitsi Meet third-party requests (gravatar avatars)',
    keys: ['disableThirdPartyRequests'], isOn: (value) => !jsTruthy(value),
  },
  {
    setting: 'OpenProject OPENPROJECT_SECURITY__BADGE__DISPLAYED: true', target: 'https://releases.openproject.com', description: 'OpenProject update check (security badge)',
    keys: ['OPENPROJECT_SECURITY__BADGE__DISPLAYED', 'security_badge_displayed'], isOn: rubySettingTrue,
  },
  {
    setting: 'OpenProject OPENPROJECT_ONBOARDING__ENABLED: true', target: 'https://player.vimeo.com', description: 'OpenProject onboarding tour (an embedded Vimeo video)',
    keys: ['OPENPROJECT_ONBOARDING__ENABLED', 'onboarding_enabled'], isOn: rubySettingTrue,
  },
  {
    setting: 'OpenProject OPENPROJECT_CROWDIN__IN__CONTEXT__TRANSLATIONS: true', target: 'https://crowdin.com', description: 'OpenProject in-context translation (Crowdin)',
    keys: ['OPENPROJECT_CROWDIN__IN__CONTEXT__TRANSLATIONS', 'crowdin_in_context_translations'], isOn: rubySettingTrue,
  },
  {
    setting: 'OpenProject enable_gravatars: true', target: 'https://secure.gravatar.com', description: 'OpenProject avatars from Gravatar',
    keys: ['enable_gravatars', 'OPENPROJECT_PLUGIN__OPENPROJECT__AVATARS_ENABLE__GRAVATARS'], isOn: rubySettingTrue,
  },
  {
    setting: 'OpenProject APPSIGNAL_ENABLED: true', target: 'https://push.appsignal.com', description: 'OpenProject error reporting to AppSignal',
    keys: ['APPSIGNAL_ENABLED'], isOn: exactlyTrue,
  },
  {
    setting: 'XWiki activeinstalls2.pingURL (not loopback)', target: 'https://extensions.xwiki.org/activeinstalls2', description: 'XWiki Active Installs ping',
    keys: ['activeinstalls2.pingURL'], isOn: notLoopback,
  },
  {
    setting: 'XWiki extension.security.scan.enabled=true', target: 'https://api.osv.dev/v1/query', description: 'XWiki extension vulnerability scan',
    keys: ['extension.security.scan.enabled'], isOn: commonsBoolean,
  },
  {
    setting: "XWiki whatsnew.sources (not empty)", target: 'https://extensions.xwiki.org/news', description: "XWiki What's New news feeds",
    keys: ['whatsnew.sources'], isOn: notEmpty,
  },
];

/** A key and its value, as found in one syntax. */
export interface SettingOccurrence {
  readonly key: string;
  readonly value: unknown;
}

const SETTING_BY_KEY = new Map<string, PhoneHomeSetting[]>();
for (const setting of PHONE_HOME_SETTINGS) {
  for (const key of setting.keys) SETTING_BY_KEY.set(key, [...(SETTING_BY_KEY.get(key) ?? []), setting]);
}
const KEYS = [...SETTING_BY_KEY.keys()];
/** Strings without any key are skipped (cheap, and most strings are). */
const MENTIONS_A_KEY = new RegExp(KEYS.map(escapeRegExp).join('|'));
const MAX_DEPTH = 100;
/** Helm `set` blocks of a `helm_release`: their values are typed the way Helm types `--set`. */
const HELM_SET_KEYS = new Set(['set', 'set_list', 'set_sensitive', 'set_wo']);

/**
 * Calls home a chart makes when its values leave them at the chart's
 * default: by chart name, the settings (of {@link PHONE_HOME_SETTINGS}) that
 * are on unless the release's values name their key.
 */
export const CHART_DEFAULT_CALLS: Readonly<Record<string, readonly { readonly setting: string; readonly key: string }[]>> = {
  'jitsi-meet': [{ setting: 'jitsi-meet jvb.disableStun: false', key: 'disableStun' }],
  xwiki: [
    { setting: 'XWiki activeinstalls2.pingURL (not loopback)', key: 'activeinstalls2.pingURL' },
    { setting: 'XWiki extension.security.scan.enabled=true', key: 'extension.security.scan.enabled' },
    { setting: 'XWiki whatsnew.sources (not empty)', key: 'whatsnew.sources' },
  ],
};

/**
 * The calls home a release of `chart` makes by the chart's defaults: each
 * default-on setting whose key its values (`releaseText`: the release's
 * values and set blocks as text) never name. A named key is judged by
 * {@link phoneHomeIn} as written.
 */
export function chartDefaultCallsHome(chart: string, releaseText: string): PhoneHomeSetting[] {
  const name = chart.replace(/\/+$/, '').split('/').pop() ?? chart;
  return (CHART_DEFAULT_CALLS[name] ?? [])
    .filter((d) => !releaseText.includes(d.key))
    .map((d) => PHONE_HOME_SETTINGS.find((s) => s.setting === d.setting))
    .filter((s): s is PhoneHomeSetting => s !== undefined);
}

/**
 * The settings turned on in a value: a text (a values file, a config file, a
 * JSON blob) or any JSON value (a Terraform resource block, parsed values).
 * Each setting is returned once, in the order of {@link PHONE_HOME_SETTINGS}.
 */
export function phoneHomeIn(value: unknown): PhoneHomeSetting[] {
  const on = new Set<PhoneHomeSetting>();
  for (const occurrence of settingOccurrences(value)) {
    for (const setting of SETTING_BY_KEY.get(occurrence.key) ?? []) {
      if (setting.isOn(occurrence.value)) on.add(setting);
    }
  }
  return PHONE_HOME_SETTINGS.filter((s) => on.has(s));
}

/** Every occurrence of a known setting's key in a value, with its value typed by the syntax it was found in. */
export function settingOccurrences(value: unknown): SettingOccurrence[] {
  const found: SettingOccurrence[] = [];
  walk(value, undefined, undefined, found, 0);
  return found;
}

function walk(value: unknown, key: string | undefined, parentKey: string | undefined, found: SettingOccurrence[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (key !== undefined && SETTING_BY_KEY.has(key)) found.push({ key, value: typeof value === 'string' ? stringValue(value) : value });
  if (typeof value === 'string') {
    scanText(value, found, depth + 1);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) walk(item, undefined, key ?? parentKey, found, depth + 1);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  const entry = nameValueEntry(object, key ?? parentKey);
  if (entry && SETTING_BY_KEY.has(entry.key)) found.push(entry);
  for (const [child, inner] of Object.entries(object)) walk(inner, child, key, found, depth + 1);
}

/** A JSON string value: a Terraform reference is not known before apply. */
function stringValue(text: string): unknown {
  return /(^|[^$])\$\{/.test(text) ? UNKNOWN_VALUE : text;
}

/**
 * `{ name, value }` entries: Kubernetes env lists (the value is a string; one
 * from `valueFrom` is unknown) and helm `set` entries (`name` is a dotted
 * path whose last segment is the key; the value is typed as Helm types `--set`
 * unless `type` is `string`).
 */
function nameValueEntry(object: Record<string, unknown>, listKey: string | undefined): SettingOccurrence | undefined {
  if (typeof object.name !== 'string') return undefined;
  if (!('value' in object) && !('valueFrom' in object)) return undefined;
  if (listKey !== undefined && HELM_SET_KEYS.has(listKey)) {
    const segments = splitHelmPath(object.name);
    const key = segments[segments.length - 1] ?? object.name;
    const raw = object.value;
    const value = typeof raw === 'string' && object.type !== 'string' ? helmSetValue(raw) : raw;
    return { key, value: typeof value === 'string' ? stringValue(value) : value };
  }
  if ('valueFrom' in object && !('value' in object)) return { key: object.name, value: UNKNOWN_VALUE };
  const raw = object.value;
  return { key: object.name, value: typeof raw === 'string' ? stringValue(raw) : raw ?? '' };
}

/** Splits a helm `set` name on dots that are not escaped (`a.b\.c` → `a`, `b.c`), dropping list indexes. */
export function splitHelmPath(name: string): string[] {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < name.length; i++) {
    const char = name[i];
    if (char === '\\' && i + 1 < name.length) {
      current += name[++i];
    } else if (char === '.') {
      segments.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  segments.push(current);
  return segments.map((s) => s.replace(/\[\d+\]$/, ''));
}

/** Helm's `--set` typing (strvals): `true`/`false`/`null` in any case, and integers without a leading zero. */
export function helmSetValue(text: string): unknown {
  if (/^true$/i.test(text)) return true;
  if (/^false$/i.test(text)) return false;
  if (/^null$/i.test(text)) return null;
  if (/^-?(0|[1-9]\d*)$/.test(text)) return Number(text);
  return text;
}

/**
 * Text embedded in a string. YAML (and JSON) is parsed and walked; PHP arrays,
 * `--o:` flags and coolwsd XML are read from the text in any case; `key: value`
 * and `key=value` lines only when the text is not a YAML collection (so a
 * key is not read twice, with two meanings).
 */
function scanText(text: string, found: SettingOccurrence[], depth: number): void {
  if (!MENTIONS_A_KEY.test(text)) return;
  const documents = parseYaml11(text);
  const structured = documents !== undefined && documents.some((d) => d !== null && typeof d === 'object');
  if (structured) {
    for (const document of documents) walk(document, undefined, undefined, found, depth);
  }
  found.push(...phpOccurrences(text), ...occOccurrences(text), ...flagOccurrences(text), ...xmlOccurrences(text));
  if (!structured) {
    found.push(...yamlLineOccurrences(text), ...keyServerOccurrences(text), ...assignmentOccurrences(text), ...propertiesSpaceOccurrences(text),
      ...jsMemberOccurrences(text));
  }
}

/**
 * YAML as Synapse (PyYAML) and Helm read it: YAML 1.1 scalars, with the
 * booleans PyYAML resolves (`y`, `n` stay strings). `undefined` when the text
 * is not valid YAML.
 */
export function parseYaml11(text: string): unknown[] | undefined {
  return remembered('yaml-1.1-pyyaml', text, parseYaml11Text);
}

function parseYaml11Text(text: string): unknown[] | undefined {
  try {
    const documents = parseAllDocuments(text, { version: '1.1', customTags: pyYamlBooleans, prettyErrors: false });
    if (!Array.isArray(documents) || documents.some((d) => d.errors.length > 0)) return undefined;
    return documents.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
  } catch {
    return undefined;
  }
}

const PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PYYAML_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function pyYamlBooleans(tags: any[]): any[] {
  return tags.map((tag) => {
    if (tag?.tag !== 'tag:yaml.org,2002:bool' || !(tag.test instanceof RegExp)) return tag;
    return { ...tag, test: tag.test.test('true') ? PYYAML_TRUE : PYYAML_FALSE };
  });
}

/** A YAML 1.1 plain or quoted scalar, typed as PyYAML types it. */
export function yamlScalar(token: string): unknown {
  const documents = parseYaml11(token);
  const value = documents?.[0];
  return documents && documents.length === 1 && (value === null || typeof value !== 'object') ? (typeof value === 'string' ? stringValue(value) : value) : token;
}

/** One value token: a quoted string, or the text up to a delimiter. */
const VALUE = String.raw`("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[^\s,;)\]}#'"\\]*)`;

/** `'key' => value` in PHP arrays (config.php), outside comments. */
function phpOccurrences(text: string): SettingOccurrence[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*(\/\/|#).*$/gm, '');
  return matchKeys(code, (key) => new RegExp(String.raw`(['"])${escapeRegExp(key)}\1\s*=>\s*(array\s*\(\s*\)|\[\s*\]|array\s*\(|\[|${VALUE})`, 'g'), (match) => phpValue(match[2]));
}

/** A PHP literal: constants in any case, numbers, strings, arrays; anything else is an expression the scan cannot evaluate. */
export function phpValue(token: string): unknown {
  const text = token.trim();
  if (/^true$/i.test(text)) return true;
  if (/^false$/i.test(text)) return false;
  if (/^null$/i.test(text)) return null;
  if (/^(array\s*\(\s*\)|\[\s*\])$/i.test(text)) return [];
  if (/^(array\s*\(|\[)$/i.test(text)) return [UNKNOWN_VALUE];
  if (/^[+-]?0x[0-9a-f]+$/i.test(text)) return parseInt(text.replace(/^[+-]?0x/i, ''), 16);
  if (/^[+-]?0b[01]+$/i.test(text)) return parseInt(text.replace(/^[+-]?0b/i, ''), 2);
  if (/^[+-]?0[0-7]+$/.test(text)) return parseInt(text, 8);
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(text)) return Number(text);
  const quoted = /^'((?:[^'\\]|\\.)*)'$/.exec(text) ?? /^"((?:[^"\\]|\\.)*)"$/.exec(text);
  if (quoted) return stringValue(quoted[1].replace(/\\(.)/g, '$1'));
  return UNKNOWN_VALUE;
}

/**
 * `occ config:system:set <key> --value=<v> [--type=<t>]` (Nextcloud hooks and
 * scripts), typed as occ types it: `boolean` takes only `true`/`false` (any
 * case; anything else is refused and sets nothing), `integer` and `double`
 * are numbers, `null` is null, and without a type the value is a string.
 */
function occOccurrences(text: string): SettingOccurrence[] {
  return matchKeys(text, (key) => new RegExp(String.raw`config:system:set[ \t]+(["']?)${escapeRegExp(key)}\1((?:[ \t]+(?:\\\n[ \t]*)?--?[\w-]+(?:[= ]${VALUE})?)*)`, 'g'), (match) => {
    const options = match[2] ?? '';
    const option = (name: string) => {
      const found = new RegExp(String.raw`--${name}(?:=|[ \t]+)${VALUE}`).exec(options);
      return found ? unquote(found[1]) : undefined;
    };
    const value = option('value');
    switch ((option('type') ?? 'string').toLowerCase()) {
      case 'boolean':
        return /^true$/i.test(value ?? '') ? true : /^false$/i.test(value ?? '') ? false : NOT_SET;
      case 'integer':
        return Number.parseInt(value ?? '0', 10) || 0;
      case 'double':
        return Number.parseFloat(value ?? '0') || 0;
      case 'null':
        return null;
      default:
        return value === undefined ? NOT_SET : stringValue(value);
    }
  }).filter((o) => o.value !== NOT_SET);
}

/** An occ call that sets nothing. */
const NOT_SET = Symbol('not set');

/** `--o:key=value` command-line flags of coolwsd (Collabora's `extra_params`). */
function flagOccurrences(text: string): SettingOccurrence[] {
  return matchKeys(text, (key) => new RegExp(String.raw`--o:${escapeRegExp(key)}=${VALUE}`, 'g'), (match) => stringValue(unquote(match[1])));
}

/** coolwsd.xml: `<fetch_update_check …>10</fetch_update_check>`, `<welcome><enable …>true</enable></welcome>`. */
function xmlOccurrences(text: string): SettingOccurrence[] {
  const found: SettingOccurrence[] = [];
  for (const match of text.matchAll(/<fetch_update_check\b[^>]*>([^<]*)<\/fetch_update_check>/g)) found.push({ key: 'fetch_update_check', value: stringValue(match[1]) });
  for (const match of text.matchAll(/<welcome\b[^>]*>[\s\S]*?<enable\b[^>]*>([^<]*)<\/enable>/g)) found.push({ key: 'welcome.enable', value: stringValue(match[1]) });
  return found;
}

/** `key: value` lines (YAML that does not parse as a whole, or a fragment), typed as YAML 1.1 scalars. */
function yamlLineOccurrences(text: string): SettingOccurrence[] {
  return matchKeys(text, (key) => new RegExp(String.raw`(?:^|[\n{,])[ \t]*(?:-[ \t]+)?(["']?)${escapeRegExp(key)}\1[ \t]*:(?:[ \t]+${VALUE}|[ \t]*(?=[\n,}]|$))`, 'g'), (match) => {
    const token = match[2] ?? '';
    return token === '' ? null : yamlScalar(token);
  });
}

/**
 * A `trusted_key_servers` list in YAML that does not parse as a whole: the
 * inline list on its line, or the block of more indented (or `-`) lines after it.
 */
function keyServerOccurrences(text: string): SettingOccurrence[] {
  const found: SettingOccurrence[] = [];
  for (const match of text.matchAll(/(?:^|\n)([ \t]*)trusted_key_servers[ \t]*:([^\n]*)((?:\n[^\n]*)*)/g)) {
    const indent = match[1].length;
    const block: string[] = [match[2]];
    for (const line of match[3].split('\n').slice(1)) {
      const lead = /^[ \t]*/.exec(line)?.[0].length ?? 0;
      if (line.trim() !== '' && lead <= indent && !line.trim().startsWith('-')) break;
      block.push(line);
    }
    const names = [...block.join('\n').matchAll(/server_name["']?[ \t]*:[ \t]*(["']?)([^\s"',}\]]+)\1/g)].map((m) => ({ server_name: m[2] }));
    found.push({ key: 'trusted_key_servers', value: names });
  }
  return found;
}

/** `KEY=value`, `KEY="value"`, `export KEY=value`, INI `key = value`: always a string, outside comment lines. */
/**
 * Java properties files (xwiki.properties) also separate key and value by
 * whitespace alone: `extension.security.scan.enabled true`. Read for dotted
 * keys only, at the start of a line, the value as a string to the end of it.
 */
function propertiesSpaceOccurrences(text: string): SettingOccurrence[] {
  const code = text.replace(/^\s*[#!].*$/gm, '');
  return matchKeys(code, (key) => (key.includes('.') ? new RegExp(String.raw`^[ \t]*${escapeRegExp(key)}[ \t]+([^=:\s][^\n]*?)[ \t]*$`, 'gm') : /(?!)/g),
    (match) => stringValue(match[1] ?? ''));
}

/**
 * JavaScript member assignments (Jitsi's custom-config.js, appended to
 * config.js): `config.key = value;` and `config['key'] = value;`, the value
 * typed as JavaScript types it (`false`, `0`, `''`, `null` are false).
 */
function jsMemberOccurrences(text: string): SettingOccurrence[] {
  const code = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
  return matchKeys(code, (key) => new RegExp(String.raw`(?:\.${escapeRegExp(key)}|\[[ \t]*(['"\`])${escapeRegExp(key)}\1[ \t]*\])[ \t]*=(?![=>])[ \t]*([^;\n]*)`, 'g'),
    (match) => jsLiteral((match[2] ?? '').trim()));
}

/** A JavaScript literal's value: booleans, null, undefined, numbers and quoted strings; anything else is not known at synthesis. */
function jsLiteral(token: string): unknown {
  if (token === 'true') return true;
  if (token === 'false') return false;
  if (token === 'null') return null;
  if (token === 'undefined') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  const quoted = /^(['"`])((?:(?!\1)[^\\]|\\.)*)\1$/.exec(token);
  return quoted ? quoted[2] : UNKNOWN_VALUE;
}

function assignmentOccurrences(text: string): SettingOccurrence[] {
  const code = text.replace(/^\s*[#;].*$/gm, '');
  return matchKeys(code, (key) => new RegExp(String.raw`(?:^|[\s;'"\[,])${escapeRegExp(key)}[ \t]*=(?!>)[ \t]*${VALUE}`, 'gm'), (match) => stringValue(unquote(match[1] ?? '')));
}

function matchKeys(text: string, pattern: (key: string) => RegExp, value: (match: RegExpMatchArray) => unknown): SettingOccurrence[] {
  const found: SettingOccurrence[] = [];
  for (const key of KEYS) {
    if (!text.includes(key)) continue;
    for (const match of text.matchAll(pattern(key))) found.push({ key, value: value(match) });
  }
  return found;
}

function unquote(token: string): string {
  const quoted = /^"((?:[^"\\]|\\.)*)"$/.exec(token) ?? /^'((?:[^'\\]|\\.)*)'$/.exec(token);
  return quoted ? quoted[1].replace(/\\(.)/g, '$1') : token;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
