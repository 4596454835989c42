/**
 * The install window the server sends with the director targets: local wall-clock `HH:MM`
 * bounds in the merchant's IANA time zone (DESIGN "Rollouts": maintenance window in the
 * merchant's time zone). The end is exclusive; an end before the start spans midnight; equal
 * bounds mean the whole day.
 */
import type { InstallWindow } from '../../manifests/index.js';

export function isWithinWindow(window: InstallWindow, now: Date): boolean {
  const minute = localMinuteOfDay(now, window.timeZone);
  const start = minuteOf(window.start);
  const end = minuteOf(window.end);
  if (start === end) return true;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

function localMinuteOfDay(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 'NaN');
  return value('hour') * 60 + value('minute');
}

function minuteOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}
