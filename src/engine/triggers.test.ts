import { describe, expect, it } from 'vitest';
import { createNodeTypeRegistry } from './nodes/registry.ts';
import {
  canStartRun,
  countTriggers,
  defaultStartNode,
  isTriggerNode,
  MANUAL_TRIGGER_TYPE,
  registersSchedule,
  registersWebhook,
  SCHEDULE_TRIGGER_TYPE,
  WEBHOOK_TYPE,
} from './triggers.ts';

const nodeTypes = createNodeTypeRegistry();
const node = (name: string, type: string, disabled?: boolean) => ({ name, type, ...(disabled === undefined ? {} : { disabled }) });

describe('isTriggerNode (allows activation)', () => {
  it('compares type names without case', () => {
    expect(isTriggerNode({ type: 'N8N-NODES-BASE.WEBHOOK' })).toBe(true);
    expect(isTriggerNode({ type: 'n8n-nodes-base.MANUALTRIGGER' })).toBe(false);
    expect(isTriggerNode({ type: 'community.somethingTRIGGER' })).toBe(true);
  });

  it('needs the type suffix after a package dot for webhook, cron and interval', () => {
    expect(isTriggerNode({ type: 'n8n-nodes-base.respondToWebhook' })).toBe(false);
    expect(isTriggerNode({ type: 'n8n-nodes-base.mycron' })).toBe(false);
  });

  it('ignores disabled nodes', () => {
    expect(isTriggerNode({ type: WEBHOOK_TYPE, disabled: true })).toBe(false);
    expect(countTriggers([node('A', WEBHOOK_TYPE, true), node('B', SCHEDULE_TRIGGER_TYPE, false)])).toBe(1);
  });

  it('counts nothing in a manual-only workflow', () => {
    expect(countTriggers([node('Start', MANUAL_TRIGGER_TYPE), node('Set', 'n8n-nodes-base.set')])).toBe(0);
  });
});

describe('canStartRun (the engine can start a run there)', () => {
  it.each([
    [MANUAL_TRIGGER_TYPE, true],
    [WEBHOOK_TYPE, true],
    [SCHEDULE_TRIGGER_TYPE, true],
    ['n8n-nodes-base.set', false],
    ['n8n-nodes-base.formTrigger', true],
    ['n8n-nodes-base.telegramTrigger', false],
    ['n8n-nodes-base.unknown', false],
  ])('%s: %s', (type, expected) => {
    expect(canStartRun({ type }, nodeTypes)).toBe(expected);
  });

  it('refuses a disabled trigger', () => {
    expect(canStartRun({ type: MANUAL_TRIGGER_TYPE, disabled: true }, nodeTypes)).toBe(false);
  });

  it('differs from isTriggerNode where n8n does', () => {
    const manual = { type: MANUAL_TRIGGER_TYPE };
    expect([isTriggerNode(manual), canStartRun(manual, nodeTypes)]).toEqual([false, true]);
    const telegram = { type: 'n8n-nodes-base.telegramTrigger' };
    expect([isTriggerNode(telegram), canStartRun(telegram, nodeTypes)]).toEqual([true, false]);
  });
});

describe('defaultStartNode', () => {
  it('prefers an enabled Manual Trigger over an earlier trigger', () => {
    const nodes = [node('Hook', WEBHOOK_TYPE), node('Off', MANUAL_TRIGGER_TYPE, true), node('Manual', MANUAL_TRIGGER_TYPE)];
    expect(defaultStartNode(nodes, nodeTypes)?.name).toBe('Manual');
  });

  it('falls back to the first enabled node the engine runs as a trigger', () => {
    const nodes = [node('Set', 'n8n-nodes-base.set'), node('Chat', 'n8n-nodes-base.telegramTrigger'), node('Off', WEBHOOK_TYPE, true)];
    expect(defaultStartNode([...nodes, node('Tick', SCHEDULE_TRIGGER_TYPE), node('Hook', WEBHOOK_TYPE)], nodeTypes)?.name).toBe('Tick');
    expect(defaultStartNode(nodes, nodeTypes)).toBeUndefined();
  });

  it('matches the Manual Trigger type exactly, as node types are looked up', () => {
    expect(defaultStartNode([node('Odd', 'n8n-nodes-base.MANUALTRIGGER')], nodeTypes)).toBeUndefined();
  });
});

describe('registration', () => {
  it('registers enabled Webhook nodes and Form Triggers, Schedule Triggers, the legacy Cron and Interval nodes and the polling RSS and IMAP triggers only', () => {
    expect(registersWebhook({ type: WEBHOOK_TYPE })).toBe(true);
    expect(registersWebhook({ type: WEBHOOK_TYPE, disabled: true })).toBe(false);
    expect(registersWebhook({ type: 'n8n-nodes-base.formTrigger' })).toBe(true);
    expect(registersWebhook({ type: 'n8n-nodes-base.formTrigger', disabled: true })).toBe(false);
    expect(registersWebhook({ type: 'n8n-nodes-base.telegramTrigger' })).toBe(false);
    expect(registersSchedule({ type: SCHEDULE_TRIGGER_TYPE })).toBe(true);
    expect(registersSchedule({ type: SCHEDULE_TRIGGER_TYPE, disabled: true })).toBe(false);
    expect(registersSchedule({ type: 'n8n-nodes-base.cron' })).toBe(true);
    expect(registersSchedule({ type: 'n8n-nodes-base.cron', disabled: true })).toBe(false);
    expect(registersSchedule({ type: 'n8n-nodes-base.interval' })).toBe(true);
    expect(registersSchedule({ type: 'n8n-nodes-base.rssFeedReadTrigger' })).toBe(true);
    expect(registersSchedule({ type: 'n8n-nodes-base.emailReadImap' })).toBe(true);
    expect(isTriggerNode({ type: 'n8n-nodes-base.emailReadImap' })).toBe(true);
    expect(registersSchedule({ type: 'n8n-nodes-base.localFileTrigger' })).toBe(false);
  });
});
