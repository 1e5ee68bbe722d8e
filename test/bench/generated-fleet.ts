/**
 * A generated fleet for benchmarks: `clusters` shared clusters modelled on
 * deployments/shared-de.yaml and `tenants` Workplaces modelled on
 * deployments/agency-de.yaml, spread evenly over them, each with a domain
 * and declarations of its own. Built in memory, through the same parser and
 * assembly as a folder of files.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { Fleet, SourcedDocument, assembleFleet, parseDocumentOf } from '../../constructs/deployment';
import { RULE_IDS } from '../../constructs/policy/engine';

const EXAMPLES = resolve(__dirname, '..', '..', 'deployments');

type Doc = { metadata: { name: string }; spec: Record<string, unknown> };

function example(file: string): Doc {
  return parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Doc;
}

/** A fleet of `tenants` Workplaces on `clusters` shared clusters. */
export function generatedFleet(tenants: number, clusters: number): Fleet {
  const cluster = example('shared-de.yaml');
  const tenant = example('agency-de.yaml');
  const documents: SourcedDocument[] = [];
  const add = (name: string, raw: Doc) => {
    const text = JSON.stringify(raw);
    documents.push({ source: { path: `generated/${name}.json`, text }, document: parseDocumentOf(raw, name, { knownRules: RULE_IDS }) });
  };
  for (let c = 0; c < clusters; c += 1) {
    const name = `cluster-${c}`;
    add(name, {
      ...cluster, metadata: { name },
      spec: { ...cluster.spec, apiServer: `https://api.${name}.it-service.example:6443`, backup: { ...(cluster.spec.backup as object), bucket: `${name}-volumes` } },
    });
  }
  for (let t = 0; t < tenants; t += 1) {
    const name = `tenant-${t}`;
    add(name, {
      ...tenant,
      metadata: { name },
      spec: {
        ...tenant.spec,
        domain: `desk.${name}.example`,
        cluster: { ref: `cluster-${t % clusters}` },
        backup: { ...(tenant.spec.backup as object), bucket: `${name}-backups` },
        mail: { relay: `smtp://relay.${name}.example:587`, clamavMirror: 'https://clamav.it-service.example' },
        locations: { [`*.${name}.example`]: { country: 'DE', operator: 'DE' } },
      },
    });
  }
  const fleet = assembleFleet(documents);
  if (fleet.errors.length > 0) throw new Error(`the generated fleet is invalid:\n${fleet.errors.map((e) => e.message).join('\n')}`);
  return fleet;
}
