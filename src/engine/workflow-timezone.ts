/** n8n's GENERIC_TIMEZONE default (docs.n8n.io, "Set the self-hosted instance timezone"); flowgate's too. */
export const DEFAULT_TIMEZONE = 'America/New_York';

/**
 * The timezone a workflow runs in: its own `settings.timezone`, unless unset, n8n's "DEFAULT", or not a zone this
 * runtime knows (n8n stores any string there, e.g. an expression), else `fallback`.
 */
export function workflowTimezone(settings: unknown, fallback: string): string {
  const timezone = (settings as { timezone?: unknown } | null | undefined)?.timezone;
  return typeof timezone === 'string' && timezone !== 'DEFAULT' && isTimeZone(timezone) ? timezone : fallback;
}

const known = new Map<string, boolean>();

/** Whether Intl knows the zone; cached, because every run and every schedule registration asks. */
export function isTimeZone(value: string): boolean {
  if (value === '') return false;
  let result = known.get(value);
  if (result === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      result = true;
    } catch {
      result = false;
    }
    // Bounded: a client could otherwise grow the cache with one distinct string per request.
    if (known.size < 1000) known.set(value, result);
  }
  return result;
}
