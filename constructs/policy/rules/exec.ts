import { NOT_APPLICABLE, Rule, nonCompliant } from '../rule';

/**
 * SD-EXEC: Terraform runs no program of its own: `local-exec`,
 * `remote-exec` and `file` provisioners, and the `external` data source.
 *
 * What such a program does — where it copies data, whom it calls — is not in
 * the configuration, so it cannot be proven. There is no compliant outcome: a
 * placement of kind `exec` exists only where such a program was found.
 */
export const exec: Rule = {
  id: 'SD-EXEC',
  title: 'Terraform runs no program the proof cannot see',
  explanation:
    'Provisioners (local-exec, remote-exec, file) and the external data source run commands whose effects are not in the configuration: they can send data anywhere. The proof covers only what the configuration declares.',
  objective: 'SOV-7',
  severity: { residency: 'warning', sovereign: 'error', strict: 'error' },
  check: (placement) => {
    if (placement.kind !== 'exec') return NOT_APPLICABLE;
    return nonCompliant(
      `${placement.description} runs a program whose effects the proof cannot see`,
      'express what it does as resources of the stack (a Kubernetes Job, a Helm release), or suppress SD-EXEC for this path with the reason it is safe',
    );
  },
};
