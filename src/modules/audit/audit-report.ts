import type { AuditedNode } from './audit.repository.ts';

export const AUDIT_CATEGORIES = ['credentials', 'database', 'nodes', 'filesystem', 'instance'] as const;
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];

type Location =
  | { kind: 'credential'; id: string; name: string }
  | { kind: 'node'; workflowId: string; workflowName: string; nodeId: string; nodeName: string; nodeType: string };

interface Section {
  title: string;
  description: string;
  recommendation: string;
  location?: Location[];
  settings?: Record<string, unknown>;
}

export interface AuditFacts {
  nodes: AuditedNode[];
  credentials: { id: string; name: string }[];
  /** Workflows with an execution within the abandoned-workflow window. */
  recentlyRun: Set<string>;
  daysAbandonedWorkflow: number;
  /** What the instance section reports of this server's settings. */
  settings: Record<string, unknown>;
}

const ENV_DOCS = 'See the Configuration section of the README for the settings named here.';

/** n8n's official node types that can run arbitrary code on the host or reach any address. */
const RISKY_NODE_TYPES = new Set(
  ['code', 'function', 'functionItem', 'executeCommand', 'ssh', 'ftp', 'httpRequest'].map((t) => `n8n-nodes-base.${t}`),
);
const FILESYSTEM_NODE_TYPES = new Set(
  ['readBinaryFile', 'readBinaryFiles', 'writeBinaryFile', 'readWriteFile', 'localFileTrigger', 'moveBinaryData'].map(
    (t) => `n8n-nodes-base.${t}`,
  ),
);
const SQL_NODE_TYPES = new Set(
  ['postgres', 'mySql', 'microsoftSql', 'oracleDb', 'crateDb', 'questDb', 'timescaleDb', 'snowflake'].map((t) => `n8n-nodes-base.${t}`),
);

const nodeLocation = (node: AuditedNode): Location => ({
  kind: 'node',
  workflowId: node.workflowId,
  workflowName: node.workflowName,
  nodeId: node.nodeId,
  nodeName: node.nodeName,
  nodeType: node.nodeType,
});

const isExpression = (value: unknown) => typeof value === 'string' && value.startsWith('=') && value.includes('{{');

function credentialsReport(facts: AuditFacts): Section[] {
  const used = new Set<string>();
  const usedActive = new Set<string>();
  const usedRecently = new Set<string>();
  for (const node of facts.nodes) {
    for (const id of node.credentialIds) {
      used.add(id);
      if (node.workflowActive) usedActive.add(id);
      if (facts.recentlyRun.has(node.workflowId)) usedRecently.add(id);
    }
  }
  const where = (keep: (id: string) => boolean): Location[] =>
    facts.credentials.filter((c) => keep(c.id)).map((c) => ({ kind: 'credential', id: c.id, name: c.name }));
  const sections: Section[] = [
    {
      title: 'Credentials not used in workflows',
      description: 'No workflow refers to these credentials. Stored secrets that nothing uses are risk without benefit.',
      recommendation: 'Delete these credentials if they are no longer needed.',
      location: where((id) => !used.has(id)),
    },
    {
      title: 'Credentials not used in active workflows',
      description: 'Only inactive workflows refer to these credentials.',
      recommendation: 'Delete these credentials if the workflows that use them will not be activated again.',
      location: where((id) => used.has(id) && !usedActive.has(id)),
    },
    {
      title: 'Credentials not used in recently executed workflows',
      description: `No workflow that refers to these credentials has run in the last ${facts.daysAbandonedWorkflow} days.`,
      recommendation: 'Delete these credentials if those workflows are abandoned.',
      location: where((id) => used.has(id) && !usedRecently.has(id)),
    },
  ];
  return sections.filter((s) => s.location?.length);
}

function databaseReport(facts: AuditFacts): Section[] {
  const sql = facts.nodes.filter((n) => SQL_NODE_TYPES.has(n.nodeType));
  const queryExpressions = sql.filter((n) => isExpression(n.parameters.query));
  const parameterExpressions = sql.filter((n) => {
    const options = (n.parameters.options ?? {}) as Record<string, unknown>;
    return isExpression(options.queryReplacement) || isExpression(n.parameters.additionalFields);
  });
  const unsafe = sql.filter(
    (n) => n.parameters.operation === 'executeQuery' && !((n.parameters.options ?? {}) as Record<string, unknown>).queryReplacement,
  );
  const sections: Section[] = [
    {
      title: 'Expressions in "Execute Query" fields in SQL nodes',
      description:
        'These SQL nodes build their query text from expressions: data that reaches them can change the statement (SQL injection).',
      recommendation: 'Keep the query text fixed and pass the values as query parameters.',
      location: queryExpressions.map(nodeLocation),
    },
    {
      title: 'Expressions in "Query Parameters" fields in SQL nodes',
      description: 'These SQL nodes fill their query parameters from expressions.',
      recommendation: 'Check that the values passed are the ones meant to be, and of the expected type.',
      location: parameterExpressions.map(nodeLocation),
    },
    {
      title: 'Unsafe SQL nodes',
      description: 'These SQL nodes run a query without query parameters.',
      recommendation: 'Pass values as query parameters rather than writing them into the query.',
      location: unsafe.map(nodeLocation),
    },
  ];
  return sections.filter((s) => s.location?.length);
}

function nodesReport(facts: AuditFacts): Section[] {
  const risky = facts.nodes.filter((n) => RISKY_NODE_TYPES.has(n.nodeType));
  if (!risky.length) return [];
  return [
    {
      title: 'Official risky nodes',
      description:
        'These official nodes can run code or reach any network address. Code runs in sandboxed runner processes here, and HTTP requests follow the address policy, but what they do is whatever their parameters say.',
      recommendation: `Review these nodes' parameters, prefer app nodes where one exists, and set N8N_SSRF_PROTECTION_ENABLED where workflows must not reach private networks. ${ENV_DOCS}`,
      location: risky.map(nodeLocation),
    },
  ];
}

function filesystemReport(facts: AuditFacts): Section[] {
  const nodes = facts.nodes.filter((n) => FILESYSTEM_NODE_TYPES.has(n.nodeType));
  if (!nodes.length) return [];
  return [
    {
      title: 'Nodes that interact with the filesystem',
      description: 'These nodes read or write files on the host.',
      recommendation: 'Check which paths they use, and that data reaching them cannot choose the path.',
      location: nodes.map(nodeLocation),
    },
  ];
}

function instanceReport(facts: AuditFacts): Section[] {
  const unprotected = facts.nodes.filter(
    (n) => n.nodeType === 'n8n-nodes-base.webhook' && (n.parameters.authentication ?? 'none') === 'none',
  );
  const sections: Section[] = [];
  if (unprotected.length) {
    sections.push({
      title: 'Unprotected webhooks in instance',
      description: 'These webhook nodes accept requests from anyone who knows their path.',
      recommendation:
        'Set an authentication (basic, header or JWT) on these webhooks, or make sure what they do is safe for anyone to start.',
      location: unprotected.map(nodeLocation),
    });
  }
  sections.push({
    title: 'Security settings',
    description: 'This server runs with the following security settings.',
    recommendation: `Adjust them to what this server needs. ${ENV_DOCS}`,
    settings: facts.settings,
  });
  return sections;
}

const REPORTS: Record<AuditCategory, (facts: AuditFacts) => Section[]> = {
  credentials: credentialsReport,
  database: databaseReport,
  nodes: nodesReport,
  filesystem: filesystemReport,
  instance: instanceReport,
};

const titleOf = (category: AuditCategory) => `${category[0]!.toUpperCase()}${category.slice(1)} Risk Report`;

/** n8n's audit answer: a report per category with findings, keyed by its title; `[]` when there are none at all. */
export function buildAuditReport(facts: AuditFacts, categories: readonly AuditCategory[]) {
  const reports: Record<string, { risk: AuditCategory; sections: Section[] }> = {};
  for (const category of categories) {
    const sections = REPORTS[category](facts);
    if (sections.length) reports[titleOf(category)] = { risk: category, sections };
  }
  return Object.keys(reports).length ? reports : [];
}
