/**
 * Where rclone sends data when the configuration names no host: a remote
 * configured by environment variables (`RCLONE_CONFIG_<NAME>_TYPE=drive`,
 * in a container's `env` or a ConfigMap's data), in an rclone.conf text
 * (`[name]` / `type = drive`), or on the fly in a command line
 * (`:s3,provider=AWS:bucket`). rclone then uses the backend's built-in
 * endpoint: Google Drive, Dropbox, AWS S3 in us-east-1. Those endpoints are
 * written nowhere, so the text scan cannot find them; this reads them.
 *
 * A remote whose host is written (`ENDPOINT`, `URL`, `HOST`, …) is left to
 * the text scan, which reads that value; one whose host comes from a Secret
 * or whose type is not known here is reported as `rclone:<type>`, which no
 * location proves.
 */

import { yamlDocuments } from './yaml-documents';

/** A place an rclone remote sends data to without naming it. */
export interface RcloneRemote {
  /** The remote's built-in endpoint, or `rclone:<type>` when it is not known. */
  readonly target: string;
  /** Where it was found: `remote OFFSITE (type drive, RCLONE_CONFIG_OFFSITE_*)`. */
  readonly description: string;
}

/** Backends that store nothing themselves: they wrap another remote (judged on its own) or the local disk. */
const NO_PLACE_OF_THEIR_OWN = new Set(['alias', 'cache', 'chunker', 'combine', 'compress', 'crypt', 'hasher', 'local', 'memory', 'union']);

/** Options that name the host a remote reaches; with one written, the text scan judges it. */
const HOST_OPTIONS = /^(endpoint|url|host|server|auth|auth_url|api_url|hostname)$/i;

/** The endpoints rclone's backends use when none is configured. */
const BUILT_IN: Readonly<Record<string, string>> = {
  b2: 'https://api.backblazeb2.com',
  box: 'https://api.box.com',
  drive: 'https://www.googleapis.com',
  dropbox: 'https://api.dropboxapi.com',
  gcs: 'https://storage.googleapis.com',
  'google cloud storage': 'https://storage.googleapis.com',
  googlephotos: 'https://photoslibrary.googleapis.com',
  onedrive: 'https://graph.microsoft.com',
  pcloud: 'https://api.pcloud.com',
};

/** rclone's backend names, for on-the-fly remotes (`:drive:path`) in a command line. */
const BACKENDS = new Set([
  ...NO_PLACE_OF_THEIR_OWN, ...Object.keys(BUILT_IN), 'azureblob', 'azurefiles', 'filefabric', 'ftp', 'hdfs', 'hidrive', 'http', 'imagekit',
  'internetarchive', 'jottacloud', 'koofr', 'linkbox', 'mailru', 'mega', 'netstorage', 'opendrive', 'oracleobjectstorage', 'pikpak',
  'premiumizeme', 'protondrive', 'putio', 'qingstor', 'quatrix', 's3', 'seafile', 'sftp', 'sharefile', 'sia', 'smb', 'storj', 'sugarsync',
  'swift', 'ulozto', 'uptobox', 'webdav', 'yandex', 'zoho',
]);

const ENV_OPTION = /^RCLONE_CONFIG_([A-Z0-9_]+?)_(TYPE|PROVIDER|REGION|ENDPOINT|URL|HOST|SERVER|AUTH|AUTH_URL|API_URL|HOSTNAME)$/;
const ON_THE_FLY = /(?:^|[\s="'])(:([a-z0-9]+)((?:,[^:\s]*)?):)/gi;
/** A named remote with options in its connection string: `offsite,endpoint='':bucket`. */
const CONNECTION_STRING = /(?:^|[\s="'])([A-Za-z0-9_-]+),([^:\s]*):/g;
/** An option that empties a remote's host, in a connection string: `endpoint=`, `endpoint=''`, `endpoint=""`. */
const EMPTIED_HOST = /^(endpoint|url|host|server|auth|auth_url|api_url|hostname)=(?:''|"")?$/i;
/** A backend flag that names a host (`--s3-endpoint`): it overrides every remote's configured one. */
const HOST_FLAG = /^--([a-z0-9]+)-(endpoint|url|host|server|auth|auth-url|api-url|hostname)(?:=(.*))?$/i;
const MAX_DEPTH = 40;

/** A remote's options as found: a value, or `null` when it is not written literally (a Secret, a field reference). */
type Options = Map<string, string | null>;

/** Every remote in a value (a resource block) that reaches a place the configuration does not name, in the order found. */
export function rcloneRemotesIn(value: unknown): RcloneRemote[] {
  const remotes = new Map<string, Options>();
  const found: RcloneRemote[] = [];
  walk(value, remotes, found, 0);
  for (const [name, options] of remotes) {
    const remote = builtInPlace(options, `remote ${name} (RCLONE_CONFIG_${name}_*)`);
    if (remote) found.push(remote);
  }
  const seen = new Set<string>();
  return found.filter((r) => !seen.has(`${r.target}\u0000${r.description}`) && seen.add(`${r.target}\u0000${r.description}`));
}

function walk(value: unknown, remotes: Map<string, Options>, found: RcloneRemote[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    text(value, found);
    // Variables in a YAML or JSON text: a chart's values, a manifest.
    if (value.includes('RCLONE_CONFIG_')) for (const document of yamlDocuments(value) ?? []) walk(document, remotes, found, depth + 1);
    return;
  }
  if (Array.isArray(value)) {
    emptiedByFlag(value, found);
    for (const item of value) walk(item, remotes, found, depth + 1);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  // A container's variable: { name, value } or { name, value_from / valueFrom }.
  if (typeof object.name === 'string') {
    const option = ENV_OPTION.exec(object.name);
    if (option) setOption(remotes, option[1], option[2], typeof object.value === 'string' ? object.value : null);
  }
  for (const [key, inner] of Object.entries(object)) {
    const option = ENV_OPTION.exec(key);
    if (option) setOption(remotes, option[1], option[2], typeof inner === 'string' ? inner : null);
    walk(inner, remotes, found, depth + 1);
  }
}

function setOption(remotes: Map<string, Options>, name: string, option: string, value: string | null): void {
  const options = remotes.get(name) ?? new Map<string, string | null>();
  options.set(option.toLowerCase(), value);
  remotes.set(name, options);
}

/** An rclone.conf text (`[name]` sections) or a command line with on-the-fly remotes. */
function text(value: string, found: RcloneRemote[]): void {
  let section: { name: string; options: Options } | undefined;
  const sections: { name: string; options: Options }[] = [];
  for (const line of value.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      section = { name: header[1], options: new Map() };
      sections.push(section);
      continue;
    }
    // rclone writes its options in lower case.
    const option = /^\s*([a-z_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (section && option) section.options.set(option[1], option[2]);
  }
  // Only sections of a backend rclone has: other INI files (a systemd unit's Type=) are not rclone's.
  for (const s of sections.filter((x) => BACKENDS.has(x.options.get('type') ?? ''))) {
    const remote = builtInPlace(s.options, `remote ${s.name} (an rclone config [${s.name}])`);
    if (remote) found.push(remote);
  }
  for (const match of value.matchAll(ON_THE_FLY)) {
    const type = match[2].toLowerCase();
    if (!BACKENDS.has(type)) continue;
    const options: Options = new Map([['type', type]]);
    for (const pair of match[3].split(',').filter(Boolean)) {
      const [key, ...rest] = pair.split('=');
      options.set(key.toLowerCase(), rest.join('=').replace(/^["']|["']$/g, ''));
    }
    const remote = builtInPlace(options, `on-the-fly remote ${match[1]}`);
    if (remote) found.push(remote);
  }
  // A connection string that empties a remote's host: rclone then uses the backend's built-in endpoint, whatever the remote's type.
  for (const match of value.matchAll(CONNECTION_STRING)) {
    const emptied = match[2].split(',').find((pair) => EMPTIED_HOST.test(pair));
    if (emptied) found.push({ target: `rclone:${match[1]}`, description: `remote ${match[1]} with ${emptied} in its connection string: its configured endpoint is emptied, so rclone uses the backend's built-in one` });
  }
}

/**
 * A command line (a list of arguments) whose backend flag empties the host
 * (`--s3-endpoint ''`, `--s3-endpoint=`): command-line flags come before a
 * remote's own settings, so every remote of that backend uses its built-in
 * endpoint.
 */
function emptiedByFlag(args: readonly unknown[], found: RcloneRemote[]): void {
  args.forEach((arg, index) => {
    const flag = typeof arg === 'string' ? HOST_FLAG.exec(arg) : null;
    if (!flag || !BACKENDS.has(flag[1].toLowerCase())) return;
    const value = flag[3] ?? args[index + 1];
    if (typeof value === 'string' && value.replace(/^(''|"")$/, '').trim() === '') {
      const type = flag[1].toLowerCase();
      const remote = builtInPlace(new Map([['type', type]]), `flag ${arg} with an empty value`);
      if (remote) found.push(remote);
    }
  });
}

/** Where a remote with these options sends data, when no option names the host. */
function builtInPlace(options: Options, where: string): RcloneRemote | undefined {
  const type = options.get('type');
  if (type === undefined) return undefined;
  if (type === null) return { target: 'rclone:unknown', description: `${where}: its type is not written literally` };
  const kind = type.toLowerCase();
  if (NO_PLACE_OF_THEIR_OWN.has(kind)) return undefined;
  const hosts = [...options].filter(([key]) => HOST_OPTIONS.test(key));
  if (hosts.some(([, v]) => v === null)) return { target: `rclone:${kind}`, description: `${where}: its endpoint is not written literally` };
  if (hosts.some(([, v]) => v !== null && v.trim() !== '')) return undefined;
  const described = `${where}, type ${kind}, no endpoint written: rclone uses its built-in one`;
  if (kind === 's3') {
    const provider = options.get('provider');
    const region = options.get('region');
    if ((provider === undefined || provider?.toLowerCase() === 'aws') && region !== null) {
      return { target: `https://s3.${region && /^[a-z0-9-]+$/.test(region) ? region : 'us-east-1'}.amazonaws.com`, description: described };
    }
    return { target: 'rclone:s3', description: `${described} (provider ${provider ?? 'unset'})` };
  }
  return { target: BUILT_IN[kind] ?? `rclone:${kind}`, description: described };
}
