import { describe, expect, it } from 'vitest';
import { workflowTimezone } from './workflow-timezone.ts';

describe('workflowTimezone', () => {
  it("uses the workflow's own timezone, and the fallback when it has none or n8n's DEFAULT", () => {
    expect(workflowTimezone({ timezone: 'Europe/Berlin' }, 'UTC')).toBe('Europe/Berlin');
    expect(workflowTimezone({ timezone: 'DEFAULT' }, 'America/New_York')).toBe('America/New_York');
    expect(workflowTimezone({ timezone: '' }, 'UTC')).toBe('UTC');
    expect(workflowTimezone({}, 'Asia/Tokyo')).toBe('Asia/Tokyo');
    expect(workflowTimezone(null, 'UTC')).toBe('UTC');
  });
});
