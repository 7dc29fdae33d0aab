/**
 * Runs the shell blocks of README.md's "Examples" section exactly as written, in order, in one bash process, against
 * a real server listening on a free port: only `FLOWGATE_URL` and `KEY` are set, the two variables the blocks read.
 * Each block's output must equal the `text` block under it, character for character.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

const README = path.resolve(import.meta.dirname, '../../README.md');

interface Example {
  script: string;
  /** What the block prints, when the README shows it. */
  expected?: string;
}

function readmeExamples(): Example[] {
  const readme = readFileSync(README, 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Examples\n'));
  if (!section) throw new Error('README.md has no "## Examples" section');
  const examples: Example[] = [];
  for (const [, lang, body] of section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)) {
    if (lang === 'sh') examples.push({ script: body! });
    else if (lang === 'text' && examples.length) examples[examples.length - 1]!.expected = body!;
    else throw new Error(`unexpected code block in Examples: ${lang || '(no language)'}`);
  }
  return examples;
}

const MARKER = '@@flowgate-readme-example-done@@';

/** All blocks in one `bash -euo pipefail`, a marker after each, so each block's output can be told apart. */
function runInBash(examples: Example[], env: Record<string, string>): Promise<{ code: number | null; blocks: string[]; stderr: string }> {
  const script = examples.map((example) => `${example.script}echo '${MARKER}'\n`).join('');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, blocks: stdout.split(`${MARKER}\n`), stderr }));
  });
}

describe('README examples', () => {
  let t: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await buildTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('the server did not listen on a TCP port');
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => t.close());

  it('has the examples the README promises: a webhook, a schedule, a diff batch, a run with input', () => {
    const scripts = readmeExamples().map((e) => e.script);
    expect(scripts.some((s) => s.includes('n8n-nodes-base.webhook') && s.includes('/activate'))).toBe(true);
    expect(scripts.some((s) => s.includes('$BASE/webhook/greet'))).toBe(true);
    expect(scripts.some((s) => s.includes('n8n-nodes-base.scheduleTrigger'))).toBe(true);
    expect(scripts.some((s) => s.includes('-X PATCH') && s.includes('"operations"'))).toBe(true);
    expect(scripts.some((s) => s.includes('/run') && s.includes('"wait": true') && s.includes('"items"'))).toBe(true);
  });

  it('runs every shell block as written and prints what the README shows under it', async () => {
    const examples = readmeExamples();
    const run = await runInBash(examples, { FLOWGATE_URL: baseUrl, KEY: t.ownerKey });
    expect(run.code, `bash failed; stderr:\n${run.stderr}\noutput so far:\n${run.blocks.join('\n---\n')}`).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.blocks).toHaveLength(examples.length + 1);
    examples.forEach((example, index) => {
      expect(run.blocks[index], `output of block ${index + 1}:\n${example.script}`).toBe(example.expected ?? '');
    });
  });

  it('left the server in the state the examples describe', async () => {
    const workflows = await t.app.prisma.workflow.findMany({
      include: { tags: { include: { tag: true } } },
      orderBy: { createdAt: 'asc' },
    });
    expect(workflows.map((w) => [w.name, w.active])).toEqual([
      ['Greeting webhook', true],
      ['Daily orders', true],
    ]);
    const schedule = workflows[1]!;
    expect(schedule.tags.map((x) => x.tag.name)).toEqual(['orders']);
    const trigger = (schedule.nodes as { name: string; parameters: { rule?: { interval: { triggerAtHour: number }[] } } }[])[0]!;
    expect(trigger.parameters.rule?.interval[0]?.triggerAtHour).toBe(7);
    const runs = await t.app.prisma.execution.findMany({ select: { workflowId: true, mode: true, status: true }, orderBy: { id: 'asc' } });
    expect(runs).toEqual([
      { workflowId: workflows[0]!.id, mode: 'webhook', status: 'success' },
      { workflowId: schedule.id, mode: 'manual', status: 'success' },
    ]);
  });
});
