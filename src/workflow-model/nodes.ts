import { z } from 'zod';
import { TelemetryTagSchema } from './telemetry-tags.ts';

/**
 * n8n 2.39's node object (`components.schemas.node`): every key it lists, with its type; any other key is
 * refused by name, as n8n refuses it. Values are stored as sent: no defaults are added but `parameters: {}`,
 * so a workflow reads back as it was written.
 */
export const NodeSchema = z
  .strictObject({
    id: z.string().optional(),
    name: z.string().min(1, 'must not be empty'),
    type: z.string().min(1, 'must not be empty'),
    typeVersion: z.number().optional(),
    position: z.tuple([z.number(), z.number()], {
      error: (issue) => (issue.input === undefined ? undefined : 'must be [x, y]: an array of two numbers'),
    }),
    parameters: z.record(z.string(), z.unknown()).default({}),
    webhookId: z.string().optional(),
    disabled: z.boolean().optional(),
    notesInFlow: z.boolean().optional(),
    notes: z.string().optional(),
    executeOnce: z.boolean().optional(),
    alwaysOutputData: z.boolean().optional(),
    retryOnFail: z.boolean().optional(),
    maxTries: z.number().optional(),
    waitBetweenTries: z.number().optional(),
    continueOnFail: z.boolean().optional(),
    onError: z.enum(['stopWorkflow', 'continueRegularOutput', 'continueErrorOutput']).optional(),
    // n8n's schema says only "an object": entries are `{ id, name }` today, `{ name }` or a bare name in older
    // exports, and are kept exactly as sent. Which ones must exist is checked on save (credential-references.ts).
    credentials: z.record(z.string(), z.unknown()).optional(),
    customTelemetryTags: z.strictObject({ tag: z.array(TelemetryTagSchema).optional() }).optional(),
  })
  .meta({ id: 'Node' });

/**
 * A node as the API accepts and stores it, and as the diff engine edits it. `typeVersion` is optional because
 * n8n's schema leaves it so; the engine's view (engine/types.ts) is this type with a version filled in.
 */
export type WorkflowNode = z.output<typeof NodeSchema>;

/** What a failing node does next: stop, pass its input on, or send the error down an extra output. */
export type OnError = NonNullable<WorkflowNode['onError']>;

/**
 * The keys a node may carry, read off NodeSchema: the diff engine's addNode checks nodes itself (to give its own
 * messages) and must refuse exactly the keys the API refuses, so the list cannot be kept by hand.
 */
export const NODE_KEYS: ReadonlySet<string> = new Set(Object.keys(NodeSchema.shape));
