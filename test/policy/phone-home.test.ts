import {
  PHONE_HOME_SETTINGS, UNKNOWN_VALUE, bashEqualsOne, goTruthy, jitsiEnvBool, phoneHomeIn, phpTruthy, pocoBool, pocoNonZero, pythonTruthy, rubySettingTrue, setInEnv,
} from '../../constructs/policy/phone-home-settings';

const APPSTORE = "Nextcloud 'appstoreenabled' => true";
const UPDATECHECKER = "Nextcloud 'updatechecker' => true";
const INTERNET = "Nextcloud 'has_internet_connection' => true";
const WELCOME = 'Collabora --o:welcome.enable=true';
const FETCH = 'Collabora --o:fetch_update_check (not 0)';
const REPORT_STATS = 'Synapse report_stats: true';
const KEY_SERVERS = 'Synapse trusted_key_servers: matrix.org';
const POSTHOG = 'Element Web posthog (analytics)';
const INTEGRATIONS = 'Element Web integrations_ui_url';
const MAILSERVER = 'docker-mailserver ENABLE_UPDATE_CHECK: 1';
const JVB_STUN = 'jitsi-meet jvb.disableStun: false';
const AMPLITUDE = 'Jitsi AMPLITUDE_ID';
const GOOGLE_ANALYTICS = 'Jitsi GOOGLE_ANALYTICS_ID';
const JAAS = 'Jitsi ENABLE_JAAS_COMPONENTS: 1';
const THIRD_PARTY = 'Jitsi Meet disableThirdPartyRequests: false';
const OP_BADGE = 'OpenProject OPENPROJECT_SECURITY__BADGE__DISPLAYED: true';
const OP_GRAVATAR = 'OpenProject enable_gravatars: true';
const OP_APPSIGNAL = 'OpenProject APPSIGNAL_ENABLED: true';
const XWIKI_PING = 'XWiki activeinstalls2.pingURL (not loopback)';
const XWIKI_SCAN = 'XWiki extension.security.scan.enabled=true';
const XWIKI_NEWS = 'XWiki whatsnew.sources (not empty)';

const found = (value: unknown) => phoneHomeIn(value).map((s) => s.setting);

/** Each setting's spellings, written in the syntax its application reads. */
interface Spellings {
  readonly setting: string;
  readonly render: (value: string) => string;
  readonly on: readonly string[];
  readonly off: readonly string[];
}

const PHP_ON = ['true', 'TRUE', 'True', '1', '-1', '42', '0.5', "'true'", "'false'", '"yes"', "'no'", "'0.0'", "' '", "array('x')", 'array(1, 2)', "['x']", "getenv('X')"];
const PHP_OFF = ['false', 'FALSE', 'False', 'null', 'NULL', '0', '0.0', '00', '0x0', "'0'", '"0"', "''", '""', 'array()', 'array ( )', '[]'];
const php = (key: string) => (value: string) => `<?php\n$CONFIG = array (\n  'overwriteprotocol' => 'https',\n  '${key}' => ${value},\n);\n`;

const SPELLINGS: readonly Spellings[] = [
  { setting: APPSTORE, render: php('appstoreenabled'), on: PHP_ON, off: PHP_OFF },
  { setting: UPDATECHECKER, render: php('updatechecker'), on: PHP_ON, off: PHP_OFF },
  { setting: INTERNET, render: php('has_internet_connection'), on: PHP_ON, off: PHP_OFF },
  {
    setting: WELCOME,
    render: (value) => `--o:ssl.enable=false --o:welcome.enable=${value} --o:fetch_update_check=0`,
    on: ['true', 'TRUE', 'True', 'tRuE', '1', '2', '-1', '+1', 'yes', 'YES', 'Yes', 'on', 'ON', 'On', 'maybe', '"true"'],
    off: ['false', 'FALSE', 'False', '0', '00', '+0', '-0', 'no', 'NO', 'No', 'off', 'OFF', 'Off', '"false"', "'no'"],
  },
  {
    setting: FETCH,
    render: (value) => `--o:welcome.enable=false --o:fetch_update_check=${value}`,
    on: ['1', '10', '24', '-1', '+24', '0x1', '0x18', '0X0', '1.5', 'never', 'true'],
    off: ['0', '00', '+0', '-0', '0x0', '0x00', '"0"'],
  },
  {
    setting: REPORT_STATS,
    render: (value) => `server_name: desk.example\nreport_stats: ${value}\nsuppress_key_server_warning: true\n`,
    on: ['true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'y', 'Y', 'n', 'N', 'tRUE', 'fALSE', '"false"', "'no'", '"off"', '1', '2', '0.1', '[1]'],
    off: ['false', 'False', 'FALSE', 'no', 'No', 'NO', 'off', 'Off', 'OFF', '~', 'null', 'Null', 'NULL', '""', "''", '0', '0.0', '0x0', '', '[]', '{}'],
  },
  {
    setting: KEY_SERVERS,
    render: (value) => `trusted_key_servers: ${value}\n`,
    on: ['[{server_name: matrix.org}]', '[{server_name: "matrix.org"}]', '[{server_name: MATRIX.ORG}]', '[{server_name: "matrix.org."}]', '[{server_name: other.example}, {server_name: matrix.org}]'],
    off: ['[]', '~', '[{server_name: keys.agency.example}]', '[{server_name: matrix.org.example}]'],
  },
  {
    setting: POSTHOG,
    render: (value) => `{"default_server_name": "desk.example", "posthog": ${value}}`,
    on: ['{"project_api_key": "phc_x", "api_host": "https://posthog.element.io"}', '{"api_host": "https://posthog.element.io"}', '{}'],
    off: ['null'],
  },
  {
    setting: INTEGRATIONS,
    render: (value) => `{"integrations_ui_url": ${value}, "integrations_rest_url": ""}`,
    on: ['"https://scalar.vector.im/"', '"https://integrations.agency.example"', '" "', 'true', '1'],
    off: ['""', 'null', 'false', '0'],
  },
  {
    setting: MAILSERVER,
    render: (value) => `ENABLE_CLAMAV=1\nENABLE_UPDATE_CHECK=${value}\nUPDATE_CHECK_INTERVAL=1d\n`,
    on: ['1', '01', '+1', '0x1', '0X1', '" 1 "', '""', '', "'1'", '1+0'],
    off: ['0', '00', '2', '10', '-1', 'true', 'TRUE', 'yes', 'on', 'false', 'no', 'off', '"0"'],
  },
  {
    setting: JVB_STUN,
    render: (value) => `jvb:\n  disableStun: ${value}\n  UDPPort: 10000\n`,
    on: ['false', 'False', 'no', 'off', '0', '~', 'null', '""', '[]'],
    off: ['true', 'True', 'yes', 'on', '1', '"false"', '"0"', '[1]'],
  },
  {
    setting: AMPLITUDE,
    render: (value) => `web:\n  extraEnvs:\n    AMPLITUDE_ID: ${value}\n`,
    on: ['abc123', '"x"', '0', 'false', '" "'],
    off: ['""', "''", '~', 'null'],
  },
  {
    setting: GOOGLE_ANALYTICS,
    render: (value) => `GOOGLE_ANALYTICS_ID=${value}\nENABLE_P2P=false\n`,
    on: ['UA-1', 'G-XYZ', '0'],
    off: ['', '""'],
  },
  {
    setting: JAAS,
    render: (value) => `extraCommonEnvs:\n  ENABLE_JAAS_COMPONENTS: ${value}\n`,
    on: ['"1"', '1', 'true', '"true"', '"t"', '"T"', '"TRUE"', '"yes"', '"on"', '"2"'],
    off: ['"0"', '0', 'false', '"false"', '"f"', '"F"', '"FALSE"', '"False"', '""', '~'],
  },
  {
    setting: THIRD_PARTY,
    render: (value) => `Object.assign(config, {\n  disableThirdPartyRequests: ${value},\n  gravatar: { disabled: true },\n});\n`,
    on: ['false', '0', "''", 'null'],
    off: ['true', '1', "'yes'"],
  },
  {
    setting: OP_BADGE,
    render: (value) => `OPENPROJECT_HTTPS=true\nOPENPROJECT_SECURITY__BADGE__DISPLAYED=${value}\n`,
    on: ['true', 'TRUE', '1', 'yes', 't', 'on', '""', '', 'maybe'],
    off: ['false', 'FALSE', 'False', 'no', 'NO', 'off', 'Off', '0', 'f', 'F', '"false"', "'0'"],
  },
  {
    setting: OP_GRAVATAR,
    render: (value) => JSON.stringify({ environment: { OPENPROJECT_PLUGIN__OPENPROJECT__AVATARS: `{enable_gravatars: ${value}, enable_local_avatars: true}` } }),
    on: ['true', 'True', 'yes', 'on', '1', '"true"', "'t'"],
    off: ['false', 'False', 'no', 'off', 'OFF', '0', '"false"', "'f'"],
  },
  {
    setting: OP_APPSIGNAL,
    render: (value) => `APPSIGNAL_ENABLED=${value}\nAPPSIGNAL_NAME=openproject\n`,
    on: ['true', '"true"', "'true'"],
    off: ['false', 'TRUE', 'True', '1', 'yes', '', '"TRUE"'],
  },
  // XWiki: as the chart writes xwiki.properties from customConfigs.
  {
    setting: XWIKI_SCAN,
    render: (value) => `customConfigs:\n  xwiki.properties:\n    extension.security.scan.enabled: ${value}\n`,
    on: ['true', 'True', 'on', 'yes', 'y', 't', '1', '0', 'maybe', '""'],
    off: ['false', 'False', 'FALSE', 'off', 'OFF', 'no', 'n', 'f', '"false"'],
  },
  {
    setting: XWIKI_PING,
    render: (value) => `customConfigs:\n  xwiki.properties:\n    activeinstalls2.pingURL: ${value}\n`,
    on: ['https://extensions.xwiki.org/activeinstalls2', 'http://stats.agency.example/', 'http://localhost.example/', '""', 'http://127.0.0.1.nip.io/'],
    off: ['http://localhost:9/', 'http://127.0.0.1:9/', 'https://LOCALHOST/', 'http://[::1]:9/ping'],
  },
  {
    setting: XWIKI_NEWS,
    render: (value) => `customConfigs:\n  xwiki.properties:\n    whatsnew.sources: ${value}\n`,
    on: ['xwikiorg = xwikiblog', '"xwikisas = xwikiblog"'],
    off: ["''", '""', '[]', '~'],
  },
];

describe('phoneHomeIn: every spelling of on is found, every spelling of off is not', () => {
  for (const { setting, render, on, off } of SPELLINGS) {
    describe(setting, () => {
      it.each(on.map((value) => [value]))('on: %s', (value) => {
        expect(found(render(value))).toEqual([setting]);
      });
      it.each(off.map((value) => [value]))('off: %s', (value) => {
        expect(found(render(value))).toEqual([]);
      });
    });
  }
});

describe('phoneHomeIn: keys in each syntax', () => {
  it.each([
    // PHP arrays
    ['PHP array', "'appstoreenabled' => true,", [APPSTORE]],
    ['PHP array, double quotes', '"updatechecker" => 1', [UPDATECHECKER]],
    ['PHP array, commented out', "<?php\n$CONFIG = array (\n  // 'appstoreenabled' => true,\n  # 'updatechecker' => true,\n  /* 'has_internet_connection' => true, */\n);", []],
    ['PHP keys are case-sensitive', "'AppStoreEnabled' => true", []],
    // occ in hooks and scripts
    ['occ, boolean', 'php occ config:system:set appstoreenabled --value=true --type=boolean', [APPSTORE]],
    ['occ, boolean false', 'php occ config:system:set appstoreenabled --value=false --type=boolean', []],
    ['occ, boolean refuses "yes" (sets nothing)', 'php occ config:system:set appstoreenabled --value=yes --type=boolean', []],
    ['occ, untyped "false" is a string', 'php occ config:system:set appstoreenabled --value="false"', [APPSTORE]],
    ['occ, untyped 0', "php /var/www/html/occ config:system:set 'has_internet_connection' --value 0", []],
    ['occ, integer', 'php occ config:system:set updatechecker --type=integer --value=1', [UPDATECHECKER]],
    ['occ, continued line', 'php occ config:system:set updatechecker --type=boolean \\\n  --value=TRUE', [UPDATECHECKER]],
    // YAML / JSON objects
    ['YAML map', 'nextcloud:\n  appstoreenabled: true\n', [APPSTORE]],
    ['YAML map, string "false" (PHP reads a non-empty string)', 'appstoreenabled: "false"\n', [APPSTORE]],
    ['YAML map, 0', 'appstoreenabled: 0\n', []],
    ['YAML in a values string', 'synapse:\n  config: |\n    report_stats: true\n', [REPORT_STATS]],
    ['YAML that does not parse as a whole', '\tbroken: [yaml\nreport_stats: yes # send\n', [REPORT_STATS]],
    ['YAML that does not parse, off', '\tbroken: [yaml\nreport_stats: off\n', []],
    ['YAML list of key servers that does not parse', '\tbroken: [\ntrusted_key_servers:\n  - server_name: "matrix.org"\nother: 1\n', [KEY_SERVERS]],
    ['JSON text', '{"posthog": {"project_api_key": "phc_x"}, "integrations_ui_url": "https://scalar.vector.im/"}', [POSTHOG, INTEGRATIONS]],
    ['JSON in YAML in JSON', JSON.stringify({ values: [`elementWeb:\n  additional:\n    desk.json: '{"integrations_ui_url": "https://scalar.vector.im"}'\n`] }), [INTEGRATIONS]],
    // env lists and helm set entries
    ['env list', { env: [{ name: 'ENABLE_UPDATE_CHECK', value: '1' }] }, [MAILSERVER]],
    ['env list, 0', { env: [{ name: 'ENABLE_UPDATE_CHECK', value: '0' }] }, []],
    ['env list, from a Secret (not known: on)', { env: [{ name: 'ENABLE_UPDATE_CHECK', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }, [MAILSERVER]],
    ['Nextcloud NC_ env var "false" (a non-empty string to PHP)', { extraEnv: [{ name: 'NC_appstoreenabled', value: 'false' }] }, [APPSTORE]],
    ['Nextcloud NC_ env var "0"', { extraEnv: [{ name: 'NC_has_internet_connection', value: '0' }] }, []],
    ['helm set, typed as Helm types --set', { set: [{ name: 'synapse.config.report_stats', value: 'false' }] }, []],
    ['helm set, true', { set: [{ name: 'synapse.config.report_stats', value: 'True' }] }, [REPORT_STATS]],
    ['helm set with type string keeps "false" a string', { set: [{ name: 'synapse.config.report_stats', value: 'false', type: 'string' }] }, [REPORT_STATS]],
    ['helm set, escaped dots', { set: [{ name: 'coolwsd.config.welcome\\.enable', value: 'true' }] }, [WELCOME]],
    ['helm set of a config text', { set: [{ name: 'collabora.extra_params', value: '--o:fetch_update_check=12' }] }, [FETCH]],
    // env files, shell, INI
    ['KEY=value', 'ENABLE_UPDATE_CHECK=1', [MAILSERVER]],
    ['export KEY="value"', 'export ENABLE_UPDATE_CHECK="1"', [MAILSERVER]],
    ["KEY='value'", "ENABLE_UPDATE_CHECK='0'", []],
    ['docker run -e', 'docker run -e ENABLE_UPDATE_CHECK=1 mailserver', [MAILSERVER]],
    ['compose environment list', 'environment:\n  - ENABLE_UPDATE_CHECK=1\n', [MAILSERVER]],
    ['env file comment', '# ENABLE_UPDATE_CHECK=1\nENABLE_UPDATE_CHECK=0\n', []],
    ['INI key = value', '[general]\nfetch_update_check = 0\n', []],
    ['INI key = value, on', '[general]\nfetch_update_check = 24\n', [FETCH]],
    // command-line flags and coolwsd.xml
    ['coolwsd flags', '--o:welcome.enable=true', [WELCOME]],
    ['coolwsd flags, quoted', '--o:welcome.enable="false" --o:fetch_update_check="0"', []],
    ['coolwsd.xml', '<config><welcome><enable type="bool" default="true">true</enable></welcome><fetch_update_check type="int">0</fetch_update_check></config>', [WELCOME]],
    ['coolwsd.xml, off', '<config><welcome><enable type="bool">false</enable></welcome><fetch_update_check type="int">0</fetch_update_check></config>', []],
    // JSON values
    ['object with a boolean', { synapse: { report_stats: true } }, [REPORT_STATS]],
    ['object with a number', { deployment: { env: { ENABLE_UPDATE_CHECK: 1 } } }, [MAILSERVER]],
    ['object with 0', { deployment: { env: { ENABLE_UPDATE_CHECK: 0 } } }, []],
    ['OpenProject env var from a Secret (not known: on)', { extraEnvVars: [{ name: 'OPENPROJECT_SECURITY__BADGE__DISPLAYED', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }, [OP_BADGE]],
    ['OpenProject gravatars in their own env var', { environment: { OPENPROJECT_PLUGIN__OPENPROJECT__AVATARS_ENABLE__GRAVATARS: 'true' } }, [OP_GRAVATAR]],
    ['OpenProject values as the construct writes them', { environment: { OPENPROJECT_SECURITY__BADGE__DISPLAYED: 'false', OPENPROJECT_PLUGIN__OPENPROJECT__AVATARS: '{enable_gravatars: false, enable_local_avatars: true}', APPSIGNAL_ENABLED: 'false' } }, []],
    ['a Terraform reference is not known: on', { nextcloud: { appstoreenabled: '${var.appstore}' } }, [APPSTORE]],
    ['an escaped $${ is a literal', { nextcloud: { appstoreenabled: '$${x}' } }, [APPSTORE]],
    ['key servers as an object value', { trusted_key_servers: [{ server_name: 'matrix.org' }] }, [KEY_SERVERS]],
  ] as const)('%s', (_name, input, expected) => {
    expect(found(input)).toEqual(expected);
  });

  it('reports each setting once, in the order of the list', () => {
    const text = "'updatechecker' => true, 'appstoreenabled' => true, 'appstoreenabled' => 1, --o:welcome.enable=1";
    expect(found(text)).toEqual([APPSTORE, UPDATECHECKER, WELCOME]);
  });

  it('finds nothing in text without any known key', () => {
    expect(found('enabled: true\nupdate_check: 1\n--o:ssl.enable=true')).toEqual([]);
    expect(found({ appstore: true, ENABLE_UPDATE: 1 })).toEqual([]);
    expect(found(null)).toEqual([]);
  });
});

describe('each setting keeps its name, target and description', () => {
  it('lists every known call home, with its target', () => {
    expect(PHONE_HOME_SETTINGS.map((s) => [s.setting, s.target])).toEqual([
      [APPSTORE, 'https://apps.nextcloud.com'],
      [UPDATECHECKER, 'https://updates.nextcloud.com'],
      [INTERNET, 'https://nextcloud.com'],
      [WELCOME, 'https://www.collaboraonline.com'],
      [FETCH, 'https://www.collaboraonline.com'],
      [REPORT_STATS, 'https://matrix.org/report-usage-stats/push'],
      [KEY_SERVERS, 'https://matrix.org'],
      [POSTHOG, 'https://posthog.element.io'],
      [INTEGRATIONS, 'https://scalar.vector.im'],
      [MAILSERVER, 'https://api.github.com'],
      [JVB_STUN, 'meet-jit-si-turnrelay.jitsi.net'],
      [AMPLITUDE, 'https://api.amplitude.com'],
      [GOOGLE_ANALYTICS, 'https://www.google-analytics.com'],
      [JAAS, 'https://8x8.vc'],
      [THIRD_PARTY, 'https://www.gravatar.com'],
      [OP_BADGE, 'https://releases.openproject.com'],
      ['OpenProject OPENPROJECT_ONBOARDING__ENABLED: true', 'https://player.vimeo.com'],
      ['OpenProject OPENPROJECT_CROWDIN__IN__CONTEXT__TRANSLATIONS: true', 'https://crowdin.com'],
      [OP_GRAVATAR, 'https://secure.gravatar.com'],
      [OP_APPSIGNAL, 'https://push.appsignal.com'],
      [XWIKI_PING, 'https://extensions.xwiki.org/activeinstalls2'],
      [XWIKI_SCAN, 'https://api.osv.dev/v1/query'],
      [XWIKI_NEWS, 'https://extensions.xwiki.org/news'],
    ]);
    expect(PHONE_HOME_SETTINGS.every((s) => s.description.length > 0)).toBe(true);
  });
});

describe('the value rules', () => {
  it.each([
    [phpTruthy, [true, 1, -1, 'false', 'true', ' ', '0.0', [0], {}, UNKNOWN_VALUE], [false, null, undefined, 0, '', '0', []]],
    [pythonTruthy, [true, 1, 'false', 'n', [0], { a: 1 }, UNKNOWN_VALUE], [false, null, undefined, 0, '', [], {}]],
    [pocoBool, [true, 1, 'true', 'Yes', 'ON', '7', 'x', '', UNKNOWN_VALUE], [false, 0, 'false', 'No', 'OFF', '0', '-0']],
    [pocoNonZero, [1, 24, '24', '0x1', '0X0', 'x', '', UNKNOWN_VALUE], [0, '0', '+0', '0x0']],
    [bashEqualsOne, [1, '1', '01', '0x1', '', ' ', null, undefined, '1+0', UNKNOWN_VALUE], [0, 2, '0', '2', 'true', 'yes', true, false, '010']],
    [goTruthy, [true, 1, 'false', '0', [0], { a: 1 }, UNKNOWN_VALUE], [false, 0, null, undefined, '', [], {}]],
    [setInEnv, ['x', '0', 'false', ' ', 0, false, UNKNOWN_VALUE], [null, undefined, '']],
    [jitsiEnvBool, ['1', 'true', 'TRUE', 't', 'yes', '2', 1, true, UNKNOWN_VALUE], ['0', 'false', 'False', 'FALSE', 'f', 'F', '', 0, false, null, undefined]],
    [rubySettingTrue, [true, 1, 'true', 'yes', 't', '', 'x', UNKNOWN_VALUE], [false, 0, 'false', 'No', 'OFF', '0', 'f', 'F']],
  ] as const)('%p', (rule, on, off) => {
    for (const value of on) expect([value, rule(value)]).toEqual([value, true]);
    for (const value of off) expect([value, rule(value)]).toEqual([value, false]);
  });
});
