/**
 * Slows password guessing: after `maxFailures` failed sign-ins for one username within
 * `windowMs`, further attempts for it are refused until the window passes (per process;
 * each replica counts its own, which still bounds guesses per minute).
 *
 * @example
 * if (throttle.isBlocked(username, now)) throw stewardError('STW_SIGN_IN_THROTTLED', ...);
 * ok ? throttle.succeeded(username) : throttle.failed(username, now);
 */
export class SignInThrottle {
  readonly #failures = new Map<string, { count: number; since: number }>();
  readonly #maxFailures: number;
  readonly #windowMs: number;

  constructor(options: { maxFailures?: number; windowMs?: number } = {}) {
    this.#maxFailures = options.maxFailures ?? 5;
    this.#windowMs = options.windowMs ?? 60_000;
  }

  isBlocked(username: string, now: Date): boolean {
    const entry = this.#failures.get(username);
    if (!entry) return false;
    if (now.getTime() - entry.since > this.#windowMs) {
      this.#failures.delete(username);
      return false;
    }
    return entry.count >= this.#maxFailures;
  }

  failed(username: string, now: Date): void {
    const entry = this.#failures.get(username);
    if (!entry || now.getTime() - entry.since > this.#windowMs) this.#failures.set(username, { count: 1, since: now.getTime() });
    else entry.count++;
    if (this.#failures.size > 100_000) this.#failures.clear(); // bounded memory under a spray of usernames
  }

  succeeded(username: string): void {
    this.#failures.delete(username);
  }
}
