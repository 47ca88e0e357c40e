import { WEEKDAYS, type Weekday } from '../config.js';

/** The weekday and hour at an instant in a time zone (IANA name, e.g. Asia/Tokyo). */
export function localWeekdayHour(at: Date, timeZone: string): { weekday: Weekday; hour: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', hour: 'numeric', hourCycle: 'h23' }).formatToParts(at);
  const weekday = (parts.find((p) => p.type === 'weekday')?.value ?? '').toLowerCase() as Weekday;
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? '0');
  return { weekday, hour };
}

/**
 * Notices go out weekly, on the configured weekday from the configured hour on (local time), so
 * that a run from cron every day or every hour sends once a week. Mid-week by default: users
 * read it on a working day and have the weekend to clean up.
 */
export function isNoticeTime(at: Date, schedule: { weekday: Weekday; hour: number; timezone: string }): boolean {
  const local = localWeekdayHour(at, schedule.timezone);
  return local.weekday === schedule.weekday && local.hour >= schedule.hour;
}

export function weekdayIndex(w: Weekday): number {
  return WEEKDAYS.indexOf(w);
}
