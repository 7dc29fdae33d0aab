import { z } from 'zod';

/**
 * One custom telemetry tag, as n8n 2.39 types it. Nodes (`customTelemetryTags.tag`) and settings
 * (`customTelemetryTags`) share this one schema instance, as they did before the model had its own module, so the
 * OpenAPI document inlines it the same way in both places.
 */
export const TelemetryTagSchema = z.strictObject({ key: z.string(), value: z.string() });
