/** The timezone a workflow runs in: its own `settings.timezone`, unless unset or n8n's "DEFAULT", else `fallback`. */
export function workflowTimezone(settings: unknown, fallback: string): string {
  const timezone = (settings as { timezone?: unknown } | null | undefined)?.timezone;
  return typeof timezone === 'string' && timezone !== '' && timezone !== 'DEFAULT' ? timezone : fallback;
}
