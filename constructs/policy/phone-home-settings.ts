/**
 * Known settings that make the suite's applications call their vendors. The
 * scan reports each one it finds turned on as an endpoint placement, so that
 * SD-PHONE-HOME (and the location rules) judge it.
 */

/** One known call home. */
export interface PhoneHomeSetting {
  /** The setting, as a reviewer would search for it. */
  readonly setting: string;
  /** Where the call goes. */
  readonly target: string;
  readonly description: string;
  /** Finds the setting turned on in a text (a values file, a config file, a JSON blob). */
  readonly pattern: RegExp;
}

export const PHONE_HOME_SETTINGS: readonly PhoneHomeSetting[] = [
  {
    setting: "Nextcloud 'appstoreenabled' => true", target: 'https://apps.nextcloud.com', description: 'Nextcloud app store',
    pattern: /['"]appstoreenabled['"]\s*=>\s*true/,
  },
  {
    setting: "Nextcloud 'updatechecker' => true", target: 'https://updates.nextcloud.com', description: 'Nextcloud update check',
    pattern: /['"]updatechecker['"]\s*=>\s*true/,
  },
  {
    setting: "Nextcloud 'has_internet_connection' => true", target: 'https://nextcloud.com', description: 'Nextcloud internet connection checks',
    pattern: /['"]has_internet_connection['"]\s*=>\s*true/,
  },
  {
    setting: 'Collabora --o:welcome.enable=true', target: 'https://www.collaboraonline.com', description: 'Collabora welcome dialog content',
    pattern: /--o:welcome\.enable=true/,
  },
  {
    setting: 'Collabora --o:fetch_update_check (not 0)', target: 'https://www.collaboraonline.com', description: 'Collabora update check',
    pattern: /--o:fetch_update_check=(?!0\b)\d+/,
  },
  {
    setting: 'Synapse report_stats: true', target: 'https://matrix.org/report-usage-stats/push', description: 'Synapse usage statistics',
    pattern: /(^|\n)\s*report_stats:\s*true\b/,
  },
  {
    setting: 'Synapse trusted_key_servers: matrix.org', target: 'https://matrix.org', description: 'Synapse trusted key server',
    pattern: /trusted_key_servers:[\s\S]{0,80}server_name:\s*["']?matrix\.org/,
  },
  {
    setting: 'Element Web posthog (analytics)', target: 'https://posthog.element.io', description: 'Element Web analytics',
    pattern: /"posthog"\s*:\s*\{[^}]*"project_api_key"/,
  },
  {
    setting: 'Element Web integrations_ui_url', target: 'https://scalar.vector.im', description: 'Element Web integration manager',
    pattern: /"integrations_ui_url"\s*:\s*"https?:\/\//,
  },
  {
    setting: 'docker-mailserver ENABLE_UPDATE_CHECK: 1', target: 'https://api.github.com', description: 'docker-mailserver update check',
    pattern: /ENABLE_UPDATE_CHECK:\s*["']?1\b/,
  },
];

/**
 * The settings turned on in a text. Escapes of nested encodings (YAML in JSON,
 * JSON in YAML) are undone first, so a setting is found at any depth.
 */
export function phoneHomeIn(text: string): PhoneHomeSetting[] {
  const plain = text.replace(/\\+n/g, '\n').replace(/\\+"/g, '"').replace(/\\+'/g, "'");
  return PHONE_HOME_SETTINGS.filter((s) => s.pattern.test(plain));
}
