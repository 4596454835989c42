import t from 'tap';
import { runHealthCheck } from '../../../device-sdk/update/index.js';
import type { TimerScheduler } from '../../../device-sdk/fetch/http-fetcher.js';
import { ScriptedHost } from './fixtures/scripted-host.js';

const checkOf = (host: ScriptedHost) => (signal: AbortSignal) => host.healthCheck(signal);

function manual() {
  const pending: { delayMs: number; fire: () => void; cancelled: boolean }[] = [];
  const schedule: TimerScheduler = (delayMs, fire) => {
    const timer = { delayMs, fire, cancelled: false };
    pending.push(timer);
    return () => (timer.cancelled = true);
  };
  return { schedule, pending };
}

t.test('a healthy answer within the time passes and cancels the timer', async (t) => {
  const timers = manual();
  t.same(await runHealthCheck(checkOf(new ScriptedHost()), 5000, timers.schedule), { healthy: true });
  t.equal(timers.pending[0]?.delayMs, 5000);
  t.equal(timers.pending[0]?.cancelled, true);
});

t.test('false and a throw are failures, not timeouts', async (t) => {
  const host = new ScriptedHost();
  host.health = 'unhealthy';
  t.same(await runHealthCheck(checkOf(host), 5000, manual().schedule), { healthy: false, timedOut: false });
  host.health = 'throws';
  t.match(await runHealthCheck(checkOf(host), 5000, manual().schedule), { healthy: false, timedOut: false, error: 'payment application did not start' });
});

t.test('no answer before the timeout is a failure', async (t) => {
  const timers = manual();
  const host = new ScriptedHost();
  host.health = 'hangs';
  const started = host.healthCheckStarted();
  const result = runHealthCheck(checkOf(host), 5000, timers.schedule);
  await started;
  timers.pending[0]?.fire();
  t.same(await result, { healthy: false, timedOut: true });
});
