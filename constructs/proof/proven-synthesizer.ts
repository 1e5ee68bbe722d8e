/**
 * The synthesizer of a SovereignStack: what cdktf's StackSynthesizer does
 * (node_modules/cdktf/lib/synthesize/synthesizer.js, cdktf 0.21), except that
 * cdk.tf.json is the text the proof judged, not a second rendering of the
 * stack. Rendering again resolves every token again, which costs as much as
 * the first time and could answer differently (a Lazy); the proof's text is
 * written as it is.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AnnotationMetadataEntryType, ISynthesisSession, IStackSynthesizer, TerraformStack } from 'cdktf';
import { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';
import { ValidateTerraformVersion } from 'cdktf/lib/validations/validate-terraform-version';
import { ConstructOrder, IConstruct } from 'constructs';

/** cdktf writes its JSON files with this serializer; the proof serializes with the same one, so it judges the same bytes. */
export const stableStringify = createRequire(require.resolve('cdktf'))('json-stable-stringify') as (value: unknown, options: { space: number }) => string;

/** Where cdktf keeps a construct's custom synthesis (addCustomSynthesis): a global symbol, the same for every copy of cdktf. */
const CUSTOM_SYNTHESIS = Symbol.for('cdktf/customSynthesis');

interface CustomSynthesis { onSynthesize(session: ISynthesisSession): void }

const ANNOTATION_LEVELS: readonly string[] = [AnnotationMetadataEntryType.INFO, AnnotationMetadataEntryType.WARN, AnnotationMetadataEntryType.ERROR];

/**
 * Synthesizes a stack as cdktf does, writing `provenText()` as its
 * cdk.tf.json. Error annotations never throw (as under the cdktf CLI, which
 * sets CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS): the stack's own synthesis
 * prints them and sets the exit code.
 *
 * @example
 * this.synthesizer = new ProvenStackSynthesizer(this, () => this.provenText, false);
 */
export class ProvenStackSynthesizer implements IStackSynthesizer {
  /**
   * @param stack the stack
   * @param provenText the configuration the proof judged, read when it is written (after the stack's custom synthesis),
   *   or undefined when there is none: then the stack's configuration is rendered, as cdktf does
   * @param hclOutput write HCL, as cdktf does with SYNTH_HCL_OUTPUT (which the proof then reports: it covers JSON only)
   */
  constructor(private readonly stack: TerraformStack, private readonly provenText: () => string | undefined, private readonly hclOutput: boolean) {}

  public synthesize(session: ISynthesisSession): void {
    const stack = this.stack;
    invokeAspects(stack);
    if (stack.hasResourceMove()) {
      stack.node.addValidation(new ValidateTerraformVersion('>=1.5', 'Resource move functionality is only supported for Terraform >=1.5. Please upgrade your Terraform version.'));
    }
    if (!session.skipValidation) stack.runAllValidations();
    const manifest = session.manifest.forStack(stack);
    const workingDirectory = join(session.outdir, manifest.workingDirectory);
    if (!existsSync(workingDirectory)) mkdirSync(workingDirectory);
    // Custom synthesis of every construct, leaves first (the stack's own proof comes last).
    for (const node of stack.node.findAll(ConstructOrder.POSTORDER)) customSynthesis(node)?.onSynthesize(session);
    // The annotations, in tree order, into the manifest (where the CLI reads them).
    (manifest as { annotations: unknown }).annotations = stack.node.findAll().flatMap((node) => node.node.metadata
      .filter((m) => ANNOTATION_LEVELS.includes(m.type))
      .map((m) => ({ constructPath: node.node.path, level: m.type, message: m.data, stacktrace: m.trace })));
    const file = join(session.outdir, manifest.synthesizedStackPath);
    if (this.hclOutput) {
      const hcl = stack.toHclTerraform();
      writeFileSync(file, hcl.hcl);
      writeFileSync(join(session.outdir, manifest.stackMetadataPath as string), stableStringify(hcl.metadata, { space: 2 }));
      return;
    }
    writeFileSync(file, this.provenText() ?? stableStringify(stack.toTerraform(), { space: 2 }));
  }
}

function customSynthesis(node: IConstruct): CustomSynthesis | undefined {
  return (node as unknown as Record<symbol, CustomSynthesis | undefined>)[CUSTOM_SYNTHESIS];
}
