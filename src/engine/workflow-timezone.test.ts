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

  it('uses the fallback for a timezone this runtime does not know (n8n stores any string there)', () => {
    expect(workflowTimezone({ timezone: '={{$workflow.timezone}}' }, 'Europe/Paris')).toBe('Europe/Paris');
    expect(workflowTimezone({ timezone: 'Mars/Olympus' }, 'UTC')).toBe('UTC');
    expect(workflowTimezone({ timezone: 42 }, 'UTC')).toBe('UTC');
  });
});
