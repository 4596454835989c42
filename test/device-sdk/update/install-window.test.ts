import t from 'tap';
import { isWithinWindow } from '../../../device-sdk/update/index.js';

const paris = (start: string, end: string) => ({ start, end, timeZone: 'Europe/Paris' });

t.test('a window inside one day includes its start and excludes its end', async (t) => {
  const window = paris('02:00', '04:00');
  t.notOk(isWithinWindow(window, new Date('2026-03-02T00:59:00Z')), '01:59 Paris');
  t.ok(isWithinWindow(window, new Date('2026-03-02T01:00:00Z')), '02:00 Paris');
  t.ok(isWithinWindow(window, new Date('2026-03-02T02:59:00Z')), '03:59 Paris');
  t.notOk(isWithinWindow(window, new Date('2026-03-02T03:00:00Z')), '04:00 Paris');
});

t.test('a window whose end is before its start spans midnight', async (t) => {
  const window = paris('23:00', '01:00');
  t.ok(isWithinWindow(window, new Date('2026-03-02T22:30:00Z')), '23:30 Paris');
  t.ok(isWithinWindow(window, new Date('2026-03-02T23:30:00Z')), '00:30 Paris');
  t.notOk(isWithinWindow(window, new Date('2026-03-02T12:00:00Z')), '13:00 Paris');
});

t.test('the time zone is the merchant one, daylight saving included', async (t) => {
  const window = { start: '02:00', end: '03:00', timeZone: 'America/New_York' };
  t.ok(isWithinWindow(window, new Date('2026-01-15T07:30:00Z')), '02:30 EST (UTC-5)');
  t.ok(isWithinWindow(window, new Date('2026-07-15T06:30:00Z')), '02:30 EDT (UTC-4)');
  t.notOk(isWithinWindow(window, new Date('2026-07-15T07:30:00Z')), '03:30 EDT');
});

t.test('equal bounds mean the whole day', async (t) => {
  t.ok(isWithinWindow(paris('00:00', '00:00'), new Date('2026-03-02T15:17:00Z')));
});
