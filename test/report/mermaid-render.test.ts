/**
 * The map must render where reviewers read it: the report's Mermaid source is
 * rendered with the mermaid library in headless Chromium (Debian's chromium,
 * which .ci/run installs).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { renderMermaid, buildReport } from '../../constructs/report';
import { Testing } from 'cdktf';
import { WorkplaceStack } from '../../stacks/workplace-stack';
import { deployment, workplace } from '../util';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) {
  throw new Error(`Chromium is required in CI to render the Mermaid map: ${CHROMIUM} is missing (.ci/run installs Debian's chromium).`);
}
if (!available) {
  // Written to the process's stderr: jest does not show the console output of a suite whose tests are all skipped.
  process.stderr.write(`\nwarning: skipping the Mermaid rendering test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).\n`);
}

const MERMAID = readFileSync(join(__dirname, '..', '..', 'node_modules', 'mermaid', 'dist', 'mermaid.min.js'), 'utf8');

(available ? describe : describe.skip)('the Mermaid map renders in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => browser?.close());

  /** Renders in a fresh page with the mermaid library; returns the SVG or the error. */
  async function render(source: string): Promise<{ svg?: string; error?: string }> {
    const page = await browser.newPage();
    try {
      await page.setContent('<!doctype html><html><body></body></html>');
      await page.addScriptTag({ content: MERMAID });
      return await page.evaluate(async (text) => {
        const mermaid = (globalThis as unknown as { mermaid: { initialize(c: object): void; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
        mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
        try {
          return { svg: (await mermaid.render('map', text)).svg };
        } catch (error) {
          return { error: String(error) };
        }
      }, source);
    } finally {
      await page.close();
    }
  }

  it('renders the default deployment', async () => {
    const source = renderMermaid(buildReport('agency-de', workplace().prove()), ['DE']);
    const { svg, error } = await render(source);
    expect(error).toBeUndefined();
    expect(svg).toContain('<svg');
    expect(svg).toContain('Keycloak database');
  }, 60_000);

  it('renders a map with foreign edges marked', async () => {
    const d = deployment({ backup: { endpoint: 'https://s3.us-east-1.amazonaws.com', bucket: 'agency-de-backups' } });
    const source = renderMermaid(buildReport('agency-de', new WorkplaceStack(Testing.app(), 'agency-de', { deployment: d, terminal: false }).prove()), ['DE']);
    const { svg, error } = await render(source);
    expect(error).toBeUndefined();
    expect(svg).toContain('outside DE');
  }, 60_000);

  it('fails on broken Mermaid (the check can fail)', async () => {
    const { error } = await render('flowchart LR\n  a -->');
    expect(error).toMatch(/Parse error|error/i);
  }, 60_000);
});
