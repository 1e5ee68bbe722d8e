/**
 * Single-purpose services at fixed hosts: image registries, Helm chart
 * repositories, certificate authorities and vendors' endpoints.
 *
 * Source: `sovereignty-facts.md` ("Registries seen in openDesk-like stacks",
 * "Other places data and metadata leave an office suite").
 */
import { ServiceFacts } from './provider-facts';

export const SERVICES: readonly ServiceFacts[] = [
  {
    name: 'openCode registry', hosts: ['registry.opencode.de'], countries: ['DE'], operator: 'DE', parent: 'DE',
    ownership: 'ZenDiS GmbH, owned by the Federal Republic of Germany',
  },
  {
    name: 'Univention artifacts', hosts: ['artifacts.software-univention.de'], countries: ['DE'], operator: 'DE', parent: 'DE',
    ownership: 'Univention GmbH',
  },
  {
    name: 'Open-Xchange registry', hosts: ['registry.open-xchange.com'], countries: ['DE'], operator: 'DE', parent: 'DE',
    ownership: 'Open-Xchange',
  },
  {
    name: 'Docker Hub', hosts: ['docker.io', 'registry-1.docker.io', 'index.docker.io', 'registry.hub.docker.com'],
    countries: ['US'], operator: 'US', parent: 'US', ownership: 'Docker, Inc.',
  },
  {
    name: 'GitHub',
    hosts: ['ghcr.io', 'github.com', '*.github.io', 'raw.githubusercontent.com', 'objects.githubusercontent.com'],
    countries: ['US'], operator: 'US', parent: 'US', ownership: 'GitHub, Inc. (Container Registry, Pages, releases); Microsoft Corporation',
  },
  {
    name: 'Quay', hosts: ['quay.io'], countries: ['US'], operator: 'US', parent: 'US', ownership: 'Red Hat; IBM',
  },
  {
    name: 'GitLab registry', hosts: ['registry.gitlab.com', 'gitlab.com'], countries: ['US'], operator: 'US', parent: 'US',
    ownership: 'GitLab Inc.',
  },
  {
    name: 'Kubernetes registry', hosts: ['registry.k8s.io', 'k8s.gcr.io'], countries: ['US'], operator: 'US', parent: 'US',
    ownership: 'Kubernetes project; served by Google and AWS mirrors chosen by client location',
  },
  {
    name: 'Google Container Registry', hosts: ['gcr.io', '*.gcr.io'], countries: ['US'], operator: 'US', parent: 'US',
    ownership: 'Google LLC',
  },
  {
    name: 'Microsoft Container Registry', hosts: ['mcr.microsoft.com'], countries: ['US'], operator: 'US', parent: 'US',
    ownership: 'Microsoft Corporation',
  },
  {
    name: 'Amazon ECR Public', hosts: ['public.ecr.aws'], countries: ['US'], operator: 'US', parent: 'US',
    ownership: 'Amazon Web Services, Inc.',
  },
  {
    name: "Let's Encrypt", hosts: ['acme-v02.api.letsencrypt.org', 'acme-staging-v02.api.letsencrypt.org'],
    countries: ['US'], operator: 'US', parent: 'US', ownership: 'Internet Security Research Group (ISRG)',
  },
  {
    name: 'matrix.org', hosts: ['matrix.org', '*.matrix.org'], countries: ['GB'], operator: 'GB', parent: 'GB',
    ownership: 'The Matrix.org Foundation C.I.C.',
  },
  {
    name: 'Apple Push Notification service', hosts: ['api.push.apple.com', 'api.sandbox.push.apple.com'],
    countries: ['US'], operator: 'US', parent: 'US', ownership: 'Apple Inc.',
  },
  {
    name: 'Firebase Cloud Messaging', hosts: ['fcm.googleapis.com'], countries: ['US'], operator: 'US', parent: 'US',
    ownership: 'Google LLC',
  },
  {
    name: 'Google public STUN', hosts: ['stun.l.google.com', '*.l.google.com'], countries: ['US'], operator: 'US', parent: 'US',
    ownership: 'Google LLC',
  },
  {
    name: 'HCP Terraform', hosts: ['app.terraform.io'], countries: ['US'], operator: 'US', parent: 'US',
    ownership: 'HashiCorp; IBM',
  },
  {
    name: 'Terraform Registry', hosts: ['registry.terraform.io', 'releases.hashicorp.com'], countries: ['US'], operator: 'US', parent: 'US',
    ownership: 'HashiCorp; IBM (providers and modules Terraform downloads by default)',
  },
  {
    name: 'OpenTofu Registry', hosts: ['registry.opentofu.org'], countries: ['US'], operator: 'US', parent: 'US',
    ownership: 'OpenTofu project (Linux Foundation, US); served from a US CDN and GitHub releases',
  },
];
