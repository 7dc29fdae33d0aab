import ICAL from 'ical.js';
import type { JsonObject } from '../../types.ts';

/** At most this many events of one calendar become data (a feed can hold years of them). */
const MAX_EVENTS = 10_000;

const timeOf = (value: unknown) =>
  value && typeof (value as { toJSDate?: unknown }).toJSDate === 'function' ? (value as ICAL.Time).toJSDate().toISOString() : null;

/**
 * A calendar file's events, for Extract from File's `fromIcs` (n8n answers `{ data: { events } }`): each VEVENT's uid,
 * summary, description, location, start and end (ISO; all-day events flagged), status, organizer and recurrence rule,
 * read with Mozilla's ical.js.
 */
export function icsEvents(text: string): JsonObject {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar
    .getAllSubcomponents('vevent')
    .slice(0, MAX_EVENTS)
    .map((component) => {
      const event = new ICAL.Event(component);
      const value = (name: string) => component.getFirstPropertyValue(name);
      const rrule = value('rrule');
      return {
        uid: event.uid ?? null,
        summary: event.summary ?? null,
        description: event.description ?? null,
        location: event.location ?? null,
        start: timeOf(event.startDate),
        end: timeOf(event.endDate),
        allDay: event.startDate?.isDate === true,
        status: value('status') ?? null,
        organizer: event.organizer ?? null,
        ...(rrule ? { rrule: rrule.toString() } : {}),
      };
    });
  return { events };
}
