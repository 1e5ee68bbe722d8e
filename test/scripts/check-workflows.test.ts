/**
 * `npm run check:workflows` validates the workflows against GitHub's own
 * workflow schema (@actions/workflow-parser), and fails on a broken one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const check = (...files: string[]) => spawnSync('npm', ['run', '--silent', 'check:workflows', '--', ...files], { cwd: ROOT, encoding: 'utf8' });

function workflowFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'desk-workflow-')), 'broken.yml');
  writeFileSync(file, text);
  return file;
}

describe('check:workflows', () => {
  it('finds every workflow of the repository valid', () => {
    const r = check();
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('check:workflows: .github/workflows/sovereignty-review.yml: valid');
    expect(r.status).toBe(0);
  });

  it('fails if a workflow has an unknown key, a wrong value or a broken expression, naming file, line and column', () => {
    const valid = readFileSync(join(ROOT, '.github', 'workflows', 'sovereignty-review.yml'), 'utf8');
    const broken = workflowFile(valid
      .replace('branches: [main]', 'branchez: [main]')
      .replace('contents: read ', 'contents: reed ')
      .replace('cancel-in-progress: true', 'cancel-in-progress: maybe')
      .replace("${{ !cancelled() && hashFiles('review/summary.md') != '' }}", "${{ !cancelled() && }}"));
    const r = check(broken);
    expect(r.status).toBe(1);
    const errors = r.stderr.trim().split('\n');
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringMatching(/broken\.yml \(Line: \d+, Col: \d+\): Unexpected value 'branchez'$/),
      expect.stringMatching(/broken\.yml \(Line: \d+, Col: \d+\): Unexpected value 'reed'$/),
      expect.stringMatching(/broken\.yml \(Line: \d+, Col: \d+\): Unexpected value 'maybe'$/),
      expect.stringMatching(/broken\.yml \(Line: \d+, Col: \d+\): Unexpected end of expression/),
    ]));
  });

  it('fails if a step both runs a command and uses an action', () => {
    const r = check(workflowFile('on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v6\n        run: echo both\n'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\(Line: 7, Col: 9\): Unexpected value 'run'/);
  });

  it('fails (exit 2) if a named file does not exist', () => {
    expect(check('/nonexistent/workflow.yml')).toMatchObject({ status: 2, stderr: expect.stringContaining('check:workflows: no such file: /nonexistent/workflow.yml') });
  });
});
