import type { NodeType } from '../node-types.ts';
import { aggregateNode } from './aggregate.ts';
import { codeNode } from './code.ts';
import { compareDatasetsNode } from './compare-datasets.ts';
import { cryptoNode } from './crypto.ts';
import { dateTimeNode } from './date-time.ts';
import { debugHelperNode } from './debug-helper.ts';
import { emailSendNode } from './email-send.ts';
import { executeCommandNode } from './execute-command.ts';
import { executeWorkflowTriggerNode } from './execute-workflow.ts';
import { executionDataNode } from './execution-data.ts';
import { compressionNode } from './files/compression.ts';
import { convertToFileNode } from './files/convert-to-file.ts';
import { editImageNode } from './files/edit-image.ts';
import { extractFromFileNode } from './files/extract-from-file.ts';
import { spreadsheetFileNode } from './files/spreadsheet-file.ts';
import { filterNode } from './filter.ts';
import { formNode, formTriggerNode } from './form.ts';
import { htmlNode } from './html.ts';
import { httpRequestNode } from './http-request.ts';
import { ifNode } from './if.ts';
import { itemListsNode } from './item-lists.ts';
import { cronNode, errorTriggerNode, functionItemNode, functionNode, intervalNode, startNode } from './legacy.ts';
import { limitNode } from './limit.ts';
import { manualTriggerNode } from './manual-trigger.ts';
import { markdownNode } from './markdown.ts';
import { mergeNode } from './merge.ts';
import { n8nApiNode } from './n8n-api.ts';
import { noOpNode } from './no-op.ts';
import { removeDuplicatesNode } from './remove-duplicates.ts';
import { renameKeysNode } from './rename-keys.ts';
import { respondToWebhookNode } from './respond-to-webhook.ts';
import { scheduleTriggerNode } from './schedule-trigger.ts';
import { setNode } from './set.ts';
import { sortNode } from './sort.ts';
import { splitInBatchesNode } from './split-in-batches.ts';
import { splitOutNode } from './split-out.ts';
import { sshNode } from './ssh.ts';
import { stopAndErrorNode } from './stop-and-error.ts';
import { summarizeNode } from './summarize.ts';
import { switchNode } from './switch.ts';
import { waitNode } from './wait.ts';
import { webhookNode } from './webhook.ts';
import { xmlNode } from './xml.ts';

export interface NodeTypeRegistry {
  get(type: string): NodeType | undefined;
  types(): string[];
  /** A type this server implements but its configuration turns off (NODES_EXCLUDE). */
  disabled?(type: string): boolean;
}

/** The registry without `excluded` (n8n's NODES_EXCLUDE): those types neither run nor are listed. */
export function withoutTypes(registry: NodeTypeRegistry, excluded: readonly string[]): NodeTypeRegistry {
  const off = new Set(excluded);
  return {
    get: (type) => (off.has(type) ? undefined : registry.get(type)),
    types: () => registry.types().filter((type) => !off.has(type)),
    disabled: (type) => off.has(type) && registry.get(type) !== undefined,
  };
}

const CORE_NODES: NodeType[] = [
  manualTriggerNode,
  webhookNode,
  respondToWebhookNode,
  scheduleTriggerNode,
  setNode,
  ifNode,
  switchNode,
  filterNode,
  mergeNode,
  noOpNode,
  stopAndErrorNode,
  waitNode,
  splitInBatchesNode,
  limitNode,
  sortNode,
  aggregateNode,
  splitOutNode,
  dateTimeNode,
  codeNode,
  httpRequestNode,
  cryptoNode,
  removeDuplicatesNode,
  startNode,
  functionNode,
  executeWorkflowTriggerNode,
  errorTriggerNode,
  htmlNode,
  markdownNode,
  renameKeysNode,
  cronNode,
  formTriggerNode,
  formNode,
  extractFromFileNode,
  convertToFileNode,
  compressionNode,
  spreadsheetFileNode,
  editImageNode,
  emailSendNode,
  n8nApiNode,
  summarizeNode,
  xmlNode,
  compareDatasetsNode,
  executionDataNode,
  functionItemNode,
  intervalNode,
  itemListsNode,
  debugHelperNode,
  // Off unless NODES_EXCLUDE no longer names them (see config).
  executeCommandNode,
  sshNode,
];

export function createNodeTypeRegistry(nodes: NodeType[] = CORE_NODES): NodeTypeRegistry {
  const byType = new Map(nodes.map((node) => [node.type, node]));
  return {
    get: (type) => byType.get(type),
    types: () => [...byType.keys()].sort(),
  };
}
