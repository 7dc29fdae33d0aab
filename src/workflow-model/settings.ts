import { z } from 'zod';
import { TelemetryTagSchema } from './telemetry-tags.ts';

/**
 * n8n 2.39's workflow settings (`components.schemas.workflowSettings`): every key typed as n8n types it, any other
 * key refused by name. Keys flowgate does not act on (binaryMode, timeSaved*, availableInMCP, ...) are stored and
 * returned. A timezone that is not an IANA zone is stored too (n8n takes any string); runs use the server's.
 */
export const SettingsSchema = z
  .strictObject({
    saveExecutionProgress: z.boolean().optional(),
    saveManualExecutions: z.boolean().optional(),
    saveDataErrorExecution: z.enum(['all', 'none']).optional(),
    saveDataSuccessExecution: z.enum(['all', 'none']).optional(),
    executionTimeout: z.number().optional(),
    errorWorkflow: z.string().optional(),
    timezone: z.string().optional(),
    executionOrder: z.string().optional(),
    callerPolicy: z.enum(['any', 'none', 'workflowsFromAList', 'workflowsFromSameOwner']).optional(),
    callerIds: z.string().optional(),
    timeSavedMode: z.enum(['fixed', 'dynamic']).optional(),
    timeSavedPerExecution: z.number().optional(),
    availableInMCP: z.boolean().optional(),
    binaryMode: z.enum(['separate', 'combined']).optional(),
    credentialResolverId: z.string().optional(),
    customTelemetryTags: z.array(TelemetryTagSchema).optional(),
    redactionPolicy: z.enum(['none', 'non-manual', 'manual-only', 'all']).optional(),
  })
  .meta({ id: 'WorkflowSettings' });

/** Workflow settings as the API accepts and stores them, and as the engine reads them. */
export type WorkflowSettings = z.output<typeof SettingsSchema>;
