/**
 * Replays n8n 2.39's captured data table, credential test, insights and discover requests
 * (../shared/reference/n8n-2.39-surface-samples.json), in file order, against a fresh app, as
 * n8n-samples-replay.test.ts does for workflows: the same status, every field n8n answered (extras only from an
 * allowlist), and the exact message of error answers. Ids are learnt from our answers (any `id` at the same place
 * in n8n's answer and ours) and rewritten into later requests.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareShape, isPlainObject, loadSamples, type Sample, type ShapeReport, samplesPath } from '../helpers/n8n-samples.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

const SAMPLES_FILE = samplesPath('n8n-2.39-surface-samples.json');
const samplesMissing = !fs.existsSync(SAMPLES_FILE);

const SELECTED = ['data table', 'credential for test', 'credential test', 'insights summary'];
const samples = samplesMissing ? [] : loadSamples(SAMPLES_FILE).filter((s) => SELECTED.some((prefix) => s.label.startsWith(prefix)));

/**
 * Where we deliberately answer other words than n8n (each checked to be a 400 naming the problem):
 * - a bad column type: n8n's validator lists the allowed values its own way; ours names the field and the values too.
 */
const DELIBERATE_MESSAGE_DIFFERENCES = new Set(['data table create: bad column type']);

/** Fields we add: the house error shape. */
const ALLOWED_EXTRA = new Set(['code', 'requestId', 'details']);

const idMap = new Map<string, string>();

function rewrite(value: unknown): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const [theirs, ours] of idMap) out = out.split(theirs).join(ours);
    return out;
  }
  if (Array.isArray(value)) return value.map(rewrite);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
  return value;
}

/** Any string `id` (or `...Id`) at the same place in both answers is the same thing. */
function learnIds(theirs: unknown, ours: unknown) {
  if (Array.isArray(theirs) && Array.isArray(ours)) {
    for (const [i, item] of theirs.entries()) learnIds(item, ours[i]);
    return;
  }
  if (!isPlainObject(theirs) || !isPlainObject(ours)) return;
  for (const [key, value] of Object.entries(theirs)) {
    const mine = ours[key];
    if ((key === 'id' || key.endsWith('Id')) && typeof value === 'string' && typeof mine === 'string' && !idMap.has(value))
      idMap.set(value, mine);
    else learnIds(value, mine);
  }
}

let t: TestApp;

async function replay(sample: Sample) {
  const { method, path, body } = sample.request;
  const res = await t.app.inject({
    method: method as 'GET',
    url: rewrite(path) as string,
    headers: { 'x-n8n-api-key': t.ownerKey, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { payload: JSON.stringify(rewrite(body)) } : {}),
  });
  const ours: unknown = res.body === '' ? null : JSON.parse(res.body);
  const ctx = `${method} ${path} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, ctx).toBe(sample.status);
  learnIds(sample.response, ours);
  const report: ShapeReport = { missing: [], extra: [], wrongType: [] };
  compareShape(sample.response, ours, '', report);
  expect
    .soft({ missing: report.missing, wrongType: report.wrongType, extra: report.extra.filter((p) => !ALLOWED_EXTRA.has(p)) }, ctx)
    .toEqual({ missing: [], wrongType: [], extra: [] });
  if (sample.status >= 400 && isPlainObject(sample.response) && isPlainObject(ours)) {
    if (DELIBERATE_MESSAGE_DIFFERENCES.has(sample.label))
      expect(ours.message, ctx).toEqual(expect.stringContaining('request/body/columns/0/type'));
    else expect.soft(ours.message, ctx).toBe(rewrite(sample.response.message));
  }
}

describe('n8n 2.39 surface samples replayed against flowgate', () => {
  if (samplesMissing) {
    it.skip(`skipped: ${SAMPLES_FILE} not found (the shared reference folder is not beside this clone)`, () => {});
    return;
  }
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  it('selects the data table, credential test and insights samples', () => {
    expect(samples.length).toBeGreaterThan(25);
  });

  for (const sample of samples) {
    it(sample.label, () => replay(sample));
  }
});
