/**
 * Provider catalogue: regions, countries, operators and host patterns.
 *
 * Source: `sovereignty-facts.md` (provider documentation, rclone's S3 provider
 * list, csf.hop3.abilian.com cards). One place to correct a fact.
 */
import { defineProvider } from './provider-facts';

export const HETZNER = defineProvider({
  id: 'hetzner', name: 'Hetzner', operator: 'DE', parent: 'DE',
  ownership: 'Hetzner Online GmbH, Gunzenhausen; no non-EU parent',
  regions: {
    fsn1: { place: 'Falkenstein', countries: ['DE'] },
    nbg1: { place: 'Nuremberg', countries: ['DE'] },
    hel1: { place: 'Helsinki', countries: ['FI'] },
    ash: { place: 'Ashburn', countries: ['US'] },
    hil: { place: 'Hillsboro', countries: ['US'] },
    sin: { place: 'Singapore', countries: ['SG'] },
  },
  domains: ['your-objectstorage.com', 'hetzner.cloud', 'hetzner.com'],
  hosts: [{ labels: ['{names}?', '{region}', 'your-objectstorage', 'com'], service: 'object storage' }],
});

export const OVHCLOUD = defineProvider({
  id: 'ovhcloud', name: 'OVHcloud', operator: 'FR', parent: 'FR',
  ownership: 'OVH Groupe SA, Roubaix; family-controlled',
  regions: {
    gra: { place: 'Gravelines', countries: ['FR'] },
    rbx: { place: 'Roubaix', countries: ['FR'] },
    sbg: { place: 'Strasbourg', countries: ['FR'] },
    'eu-west-par': { place: 'Paris', countries: ['FR'] },
    de: { place: 'Frankfurt', countries: ['DE'] },
    waw: { place: 'Warsaw', countries: ['PL'] },
    uk: { place: 'London', countries: ['GB'] },
    bhs: { place: 'Beauharnois', countries: ['CA'] },
    gra5: { place: 'Gravelines (Kubernetes GRA5)', countries: ['FR'] },
    gra7: { place: 'Gravelines (Kubernetes GRA7)', countries: ['FR'] },
    gra9: { place: 'Gravelines (Kubernetes GRA9)', countries: ['FR'] },
    sbg5: { place: 'Strasbourg (Kubernetes SBG5)', countries: ['FR'] },
    de1: { place: 'Frankfurt (Kubernetes DE1)', countries: ['DE'] },
    uk1: { place: 'London (Kubernetes UK1)', countries: ['GB'] },
    waw1: { place: 'Warsaw (Kubernetes WAW1)', countries: ['PL'] },
    bhs5: { place: 'Beauharnois (Kubernetes BHS5)', countries: ['CA'] },
    'us-east-va': { place: 'Vint Hill, Virginia', countries: ['US'], operator: 'US', note: 'run by the US entity OVH US LLC (.ovh.us)' },
    'us-west-or': { place: 'Hillsboro, Oregon', countries: ['US'], operator: 'US', note: 'run by the US entity OVH US LLC (.ovh.us)' },
  },
  domains: ['ovh.net', 'ovh.us', 'ovh.com', 'ovhcloud.com'],
  hosts: [
    { labels: ['{names}?', 's3', '{region}', 'io', 'cloud', 'ovh', 'net'], service: 'object storage' },
    { labels: ['{names}?', 's3', '{region}', 'cloud', 'ovh', 'net'], service: 'object storage' },
    { labels: ['{names}?', 's3', '{region}', 'io', 'cloud', 'ovh', 'us'], service: 'object storage' },
    { labels: ['{names}?', 's3', '{region}', 'cloud', 'ovh', 'us'], service: 'object storage' },
  ],
});

export const IONOS = defineProvider({
  id: 'ionos', name: 'IONOS', operator: 'DE', parent: 'DE',
  ownership: 'IONOS SE, Montabaur; majority United Internet AG',
  regions: {
    'eu-central-1': { place: 'Frankfurt (S3)', countries: ['DE'] },
    'eu-central-2': { place: 'Berlin (S3)', countries: ['DE'] },
    'eu-central-3': { place: 'Frankfurt (S3)', countries: ['DE'] },
    'eu-south-2': { place: 'Logroño (S3)', countries: ['ES'] },
    'de/fra': { place: 'Frankfurt', countries: ['DE'] },
    'de/txl': { place: 'Berlin', countries: ['DE'] },
    'de/fkb': { place: 'Karlsruhe', countries: ['DE'] },
    'fr/par': { place: 'Paris', countries: ['FR'] },
    'es/vit': { place: 'Vitoria', countries: ['ES'] },
    'gb/lhr': { place: 'London', countries: ['GB'] },
    'gb/bhx': { place: 'Worcester', countries: ['GB'] },
    'us/ewr': { place: 'Newark', countries: ['US'], operator: 'US', note: 'run by a US subsidiary' },
    'us/las': { place: 'Las Vegas', countries: ['US'], operator: 'US', note: 'run by a US subsidiary' },
    'us/mci': { place: 'Kansas City', countries: ['US'], operator: 'US', note: 'run by a US subsidiary' },
  },
  domains: ['ionoscloud.com', 'ionos.com', 'ionos.de'],
  hosts: [
    { labels: ['{names}?', 's3', '{region}', 'ionoscloud', 'com'], service: 'object storage' },
    { labels: ['{names}?', 's3-{region}', 'ionoscloud', 'com'], service: 'object storage' },
  ],
});

export const STACKIT = defineProvider({
  id: 'stackit', name: 'STACKIT', operator: 'DE', parent: 'DE',
  ownership: 'STACKIT GmbH & Co. KG, Neckarsulm; Schwarz Group',
  regions: {
    eu01: { place: 'Heilbronn (3 zones)', countries: ['DE'] },
    eu02: { place: 'location unconfirmed', countries: [] },
  },
  domains: ['onstackit.cloud', 'stackit.cloud'],
  hosts: [
    { labels: ['{names}?', 'object', 'storage', '{region}', 'onstackit', 'cloud'], service: 'object storage' },
    { labels: ['{name}', 'postgresql', '{region}', 'onstackit', 'cloud'], service: 'PostgreSQL Flex' },
  ],
});

export const SCALEWAY = defineProvider({
  id: 'scaleway', name: 'Scaleway', operator: 'FR', parent: 'FR',
  ownership: 'Scaleway SAS, Paris; Iliad group',
  regions: {
    'fr-par': { place: 'Paris', countries: ['FR'] },
    'nl-ams': { place: 'Amsterdam', countries: ['NL'] },
    'pl-waw': { place: 'Warsaw', countries: ['PL'] },
    'it-mil': { place: 'Milan', countries: ['IT'] },
  },
  domains: ['scw.cloud', 'scaleway.com'],
  hosts: [
    { labels: ['{names}?', 's3', '{region}', 'scw', 'cloud'], service: 'object storage' },
    { labels: ['rg', '{region}', 'scw', 'cloud'], service: 'container registry' },
  ],
});

export const OPEN_TELEKOM_CLOUD = defineProvider({
  id: 'otc', name: 'Open Telekom Cloud', operator: 'DE', parent: 'DE',
  ownership: 'T-Systems International GmbH; Deutsche Telekom AG',
  regions: {
    'eu-de': { place: 'Biere/Magdeburg', countries: ['DE'] },
    'eu-nl': { place: 'Amsterdam', countries: ['NL'] },
  },
  domains: ['otc.t-systems.com'],
  hosts: [
    { labels: ['{names}?', 'obs', '{region}', 'otc', 't-systems', 'com'], service: 'object storage (OBS)' },
    { labels: ['swr', '{region}', 'otc', 't-systems', 'com'], service: 'container registry (SWR)' },
  ],
});

export const PLUSSERVER = defineProvider({
  id: 'plusserver', name: 'plusserver', operator: 'DE', parent: 'GB',
  ownership: 'plusserver GmbH, Cologne; owned by a UK private-equity firm',
  regions: {
    'de-west': { place: 'Cologne', countries: ['DE'] },
    'de-north': { place: 'Hamburg', countries: ['DE'] },
  },
  domains: [],
  hosts: [],
});

export const UPCLOUD = defineProvider({
  id: 'upcloud', name: 'UpCloud', operator: 'FI', parent: 'FI',
  ownership: 'UpCloud Ltd, Helsinki',
  regions: {
    'fi-hel1': { place: 'Helsinki', countries: ['FI'] },
    'fi-hel2': { place: 'Helsinki', countries: ['FI'] },
    'de-fra1': { place: 'Frankfurt', countries: ['DE'] },
    'nl-ams1': { place: 'Amsterdam', countries: ['NL'] },
    'uk-lon1': { place: 'London', countries: ['GB'] },
    'us-chi1': { place: 'Chicago', countries: ['US'] },
    'europe-1': { place: 'object storage region europe-1', countries: ['DE', 'FI'], note: 'spans Finland and Germany' },
  },
  domains: ['upcloudobjects.com', 'upcloud.com'],
  hosts: [{ labels: ['{names}', 'upcloudobjects', 'com'], hidesRegion: true, service: 'object storage' }],
});

export const EXOSCALE = defineProvider({
  id: 'exoscale', name: 'Exoscale', operator: 'AT', parent: 'MX',
  ownership: 'A1 Digital (AT); ultimately about 57% América Movil (MX)',
  regions: {
    'ch-gva-2': { place: 'Geneva', countries: ['CH'] },
    'ch-dk-2': { place: 'Zurich', countries: ['CH'] },
    'de-fra-1': { place: 'Frankfurt', countries: ['DE'] },
    'de-muc-1': { place: 'Munich', countries: ['DE'] },
    'at-vie-1': { place: 'Vienna', countries: ['AT'] },
    'at-vie-2': { place: 'Vienna', countries: ['AT'] },
    'bg-sof-1': { place: 'Sofia', countries: ['BG'] },
  },
  domains: ['exo.io', 'exoscale.com'],
  hosts: [{ labels: ['{names}?', 'sos-{region}', 'exo', 'io'], service: 'object storage' }],
});

export const INFOMANIAK = defineProvider({
  id: 'infomaniak', name: 'Infomaniak', operator: 'CH', parent: 'CH',
  ownership: 'Infomaniak Network SA, Geneva (not EU/EEA; GDPR adequacy)',
  regions: {
    'dc3-a': { place: 'Geneva', countries: ['CH'] },
    'dc4-a': { place: 'Geneva', countries: ['CH'] },
  },
  domains: ['infomaniak.cloud', 'infomaniak.com'],
  hosts: [
    { labels: ['s3', 'pub1', 'infomaniak', 'cloud'], anyOf: ['dc3-a', 'dc4-a'], service: 'object storage' },
    { labels: ['s3', 'pub2', 'infomaniak', 'cloud'], anyOf: ['dc3-a', 'dc4-a'], service: 'object storage' },
  ],
});

export const CLEURA = defineProvider({
  id: 'cleura', name: 'Cleura', operator: 'SE', parent: 'GB',
  ownership: 'Cleura AB, Karlskrona; ultimate owner in the UK',
  regions: {
    sto2: { place: 'Stockholm', countries: ['SE'] },
    kna1: { place: 'Karlskrona', countries: ['SE'] },
    fra1: { place: 'Frankfurt', countries: ['DE'] },
  },
  domains: ['citycloud.com', 'cleura.cloud'],
  hosts: [{ labels: ['s3-{region}', 'citycloud', 'com'], service: 'object storage' }],
});

export const ARUBA = defineProvider({
  id: 'aruba', name: 'Aruba', operator: 'IT', parent: 'IT',
  ownership: 'Aruba S.p.A., Bergamo; family-owned',
  regions: {
    'r1-it': { place: 'Italy', countries: ['IT'] },
    'r1-fr': { place: 'France', countries: ['FR'] },
    'r1-de': { place: 'Germany', countries: ['DE'] },
    'r1-cz': { place: 'Czechia', countries: ['CZ'] },
    'r1-pl': { place: 'Poland', countries: ['PL'] },
    'r1-uk': { place: 'United Kingdom', countries: ['GB'] },
  },
  domains: ['cloud.it', 'arubacloud.de', 'arubacloud.com'],
  hosts: [
    { labels: ['{region}', 'storage', 'cloud', 'it'], service: 'object storage' },
    { labels: ['{region}', 'storage', 'arubacloud', 'de'], service: 'object storage' },
    { labels: ['{region}', 'storage', 'arubacloud', 'com'], service: 'object storage' },
  ],
});

export const AWS = defineProvider({
  id: 'aws', name: 'AWS', operator: 'US', parent: 'US',
  ownership: 'Amazon Web Services, Inc.; Amazon.com, Inc. (US)',
  regions: {
    'us-east-1': { place: 'N. Virginia', countries: ['US'] },
    'us-east-2': { place: 'Ohio', countries: ['US'] },
    'us-west-1': { place: 'N. California', countries: ['US'] },
    'us-west-2': { place: 'Oregon', countries: ['US'] },
    'ca-central-1': { place: 'Montreal', countries: ['CA'] },
    'sa-east-1': { place: 'São Paulo', countries: ['BR'] },
    'ap-northeast-1': { place: 'Tokyo', countries: ['JP'] },
    'ap-southeast-1': { place: 'Singapore', countries: ['SG'] },
    'ap-south-1': { place: 'Mumbai', countries: ['IN'] },
    'eu-central-1': { place: 'Frankfurt', countries: ['DE'] },
    'eu-central-2': { place: 'Zurich', countries: ['CH'] },
    'eu-west-1': { place: 'Ireland', countries: ['IE'] },
    'eu-west-2': { place: 'London', countries: ['GB'] },
    'eu-west-3': { place: 'Paris', countries: ['FR'] },
    'eu-south-1': { place: 'Milan', countries: ['IT'] },
    'eu-south-2': { place: 'Spain', countries: ['ES'] },
    'eu-north-1': { place: 'Stockholm', countries: ['SE'] },
    'eusc-de-east-1': {
      place: 'Brandenburg (European Sovereign Cloud)', countries: ['DE'], operator: 'DE',
      note: 'partition aws-eusc, run by a German GmbH whose parent is US',
    },
  },
  domains: ['amazonaws.com', 'amazonaws.eu', 'aws', 'amazon.com'],
  // Excerpt of the S3 prefixes in ip-ranges.json (service S3); the full list changes weekly.
  ranges: {
    'us-east-1': ['52.216.0.0/15'],
    'eu-central-1': ['52.219.170.0/23'],
  },
  hosts: [
    // https://docs.aws.amazon.com/general/latest/gr/s3.html and the virtual-hosted and legacy forms
    { labels: ['{names}?', 's3', 'amazonaws', 'com'], region: 'us-east-1', service: 'S3 (global endpoint)' },
    { labels: ['{names}?', 's3', '{region}', 'amazonaws', 'com'], service: 'S3' },
    { labels: ['{names}?', 's3-{region}', 'amazonaws', 'com'], service: 'S3 (legacy endpoint)' },
    { labels: ['{names}?', 's3', 'dualstack', '{region}', 'amazonaws', 'com'], service: 'S3 (dual-stack)' },
    { labels: ['{names}?', 's3-fips', '{region}', 'amazonaws', 'com'], service: 'S3 (FIPS)' },
    { labels: ['{names}?', 's3-fips', 'dualstack', '{region}', 'amazonaws', 'com'], service: 'S3 (FIPS, dual-stack)' },
    { labels: ['{name}', '{region}', 'amazonaws', 'com'], service: 'regional service endpoint' },
    { labels: ['{name}', 'dkr', 'ecr', '{region}', 'amazonaws', 'com'], service: 'ECR' },
    { labels: ['{name}', '{name}', '{region}', 'rds', 'amazonaws', 'com'], service: 'RDS' },
    { labels: ['{names}', '{region}', 'eks', 'amazonaws', 'com'], service: 'EKS API server' },
    { labels: ['{names}?', 's3', '{region}', 'amazonaws', 'eu'], service: 'S3 (European Sovereign Cloud)' },
    { labels: ['{name}', '{region}', 'amazonaws', 'eu'], service: 'regional service endpoint (European Sovereign Cloud)' },
  ],
});

export const AZURE = defineProvider({
  id: 'azure', name: 'Microsoft Azure', operator: 'US', parent: 'US',
  ownership: 'Microsoft Corporation (US)',
  regions: {
    germanywestcentral: { place: 'Frankfurt', countries: ['DE'] },
    germanynorth: { place: 'Berlin', countries: ['DE'] },
    westeurope: { place: 'Netherlands', countries: ['NL'] },
    northeurope: { place: 'Ireland', countries: ['IE'] },
    francecentral: { place: 'Paris', countries: ['FR'] },
    swedencentral: { place: 'Gävle', countries: ['SE'] },
    italynorth: { place: 'Milan', countries: ['IT'] },
    polandcentral: { place: 'Warsaw', countries: ['PL'] },
    spaincentral: { place: 'Madrid', countries: ['ES'] },
    norwayeast: { place: 'Oslo', countries: ['NO'] },
    switzerlandnorth: { place: 'Zurich', countries: ['CH'] },
    uksouth: { place: 'London', countries: ['GB'] },
    austriaeast: { place: 'Vienna', countries: ['AT'] },
    belgiumcentral: { place: 'Brussels', countries: ['BE'] },
    eastus: { place: 'Virginia', countries: ['US'] },
    westus2: { place: 'Washington', countries: ['US'] },
  },
  domains: ['windows.net', 'azure.com', 'azurecr.io', 'azmk8s.io'],
  hosts: [
    { labels: ['{name}', 'hcp', '{region}', 'azmk8s', 'io'], service: 'AKS API server' },
    { labels: ['{names}', 'core', 'windows', 'net'], hidesRegion: true, service: 'storage (account host)' },
    { labels: ['{names}', 'azurecr', 'io'], hidesRegion: true, service: 'container registry (account host)' },
  ],
});

export const GOOGLE_CLOUD = defineProvider({
  id: 'gcp', name: 'Google Cloud', operator: 'US', parent: 'US',
  ownership: 'Google LLC; Alphabet Inc. (US)',
  regions: {
    'europe-west1': { place: 'Belgium', countries: ['BE'] },
    'europe-west2': { place: 'London', countries: ['GB'] },
    'europe-west3': { place: 'Frankfurt', countries: ['DE'] },
    'europe-west4': { place: 'Netherlands', countries: ['NL'] },
    'europe-west6': { place: 'Zurich', countries: ['CH'] },
    'europe-west8': { place: 'Milan', countries: ['IT'] },
    'europe-west9': { place: 'Paris', countries: ['FR'] },
    'europe-west10': { place: 'Berlin', countries: ['DE'] },
    'europe-west12': { place: 'Turin', countries: ['IT'] },
    'europe-north1': { place: 'Finland', countries: ['FI'] },
    'europe-central2': { place: 'Warsaw', countries: ['PL'] },
    'europe-southwest1': { place: 'Madrid', countries: ['ES'] },
    'us-central1': { place: 'Iowa', countries: ['US'] },
    'us-east1': { place: 'South Carolina', countries: ['US'] },
  },
  domains: ['googleapis.com', 'pkg.dev', 'gcr.io'],
  hosts: [
    { labels: ['{region}-docker', 'pkg', 'dev'], service: 'Artifact Registry' },
    { labels: ['{names}?', 'storage', 'googleapis', 'com'], hidesRegion: true, service: 'Cloud Storage (bucket location not in host)' },
  ],
});

/** Every catalogued provider. */
export const PROVIDERS = [
  HETZNER, OVHCLOUD, IONOS, STACKIT, SCALEWAY, OPEN_TELEKOM_CLOUD, PLUSSERVER, UPCLOUD,
  EXOSCALE, INFOMANIAK, CLEURA, ARUBA, AWS, AZURE, GOOGLE_CLOUD,
] as const;

export type HetznerRegion = keyof typeof HETZNER.regions;
export type OvhcloudRegion = keyof typeof OVHCLOUD.regions;
export type IonosRegion = keyof typeof IONOS.regions;
export type StackitRegion = keyof typeof STACKIT.regions;
export type ScalewayRegion = keyof typeof SCALEWAY.regions;
export type OpenTelekomCloudRegion = keyof typeof OPEN_TELEKOM_CLOUD.regions;
export type PlusserverRegion = keyof typeof PLUSSERVER.regions;
export type UpcloudRegion = keyof typeof UPCLOUD.regions;
export type ExoscaleRegion = keyof typeof EXOSCALE.regions;
export type InfomaniakRegion = keyof typeof INFOMANIAK.regions;
export type CleuraRegion = keyof typeof CLEURA.regions;
export type ArubaRegion = keyof typeof ARUBA.regions;
export type AwsRegion = keyof typeof AWS.regions;
export type AzureRegion = keyof typeof AZURE.regions;
export type GoogleCloudRegion = keyof typeof GOOGLE_CLOUD.regions;

/** A catalogued `provider/region`, typed: `'stackit/eu01'`, `'hetzner/fsn1'`, … */
export type RegionId =
  | `hetzner/${HetznerRegion}` | `ovhcloud/${OvhcloudRegion}` | `ionos/${IonosRegion}`
  | `stackit/${StackitRegion}` | `scaleway/${ScalewayRegion}` | `otc/${OpenTelekomCloudRegion}`
  | `plusserver/${PlusserverRegion}` | `upcloud/${UpcloudRegion}` | `exoscale/${ExoscaleRegion}`
  | `infomaniak/${InfomaniakRegion}` | `cleura/${CleuraRegion}` | `aruba/${ArubaRegion}`
  | `aws/${AwsRegion}` | `azure/${AzureRegion}` | `gcp/${GoogleCloudRegion}`;
