/**
 * Time-zone rule: an IANA tz database name (e.g. `Europe/Paris`), known to the runtime's ICU
 * data, spelt as the database spells it. ICU matches names case-insensitively and accepts
 * offsets such as `+01:00` on newer runtimes; a terminal's tz database need not, so each
 * `/`-separated part must start with an upper-case letter and no offset form is accepted.
 *
 * @example
 * checkTimeZone('Asia/Shanghai'); // []
 * checkTimeZone('europe/paris');  // [STW_PROFILE_TIME_ZONE]
 */
import { isTimeZone } from '../../json/time-zone.js';
import { profileIssue, type ProfileIssue } from './profile-issue.js';

const IANA_SHAPE = /^[A-Z][A-Za-z0-9_+-]*(?:\/[A-Z][A-Za-z0-9_+-]*)*$/;

export function checkTimeZone(timeZone: string): ProfileIssue[] {
  if (IANA_SHAPE.test(timeZone) && isTimeZone(timeZone)) return [];
  return [profileIssue('time_zone', 'STW_PROFILE_TIME_ZONE', 'not an IANA time-zone name such as Europe/Paris')];
}
