/**
 * Why a request was cut short, so the error says timeout or abort with the right code.
 */
import { DeviceError } from '../errors.js';

/** One AbortController per request, remembering why it fired so errors get the right code. */
export class Abort {
  readonly #controller = new AbortController();
  #reason: 'connect' | 'idle' | 'caller' | undefined;
  readonly #detach: () => void;

  constructor(outer: AbortSignal | undefined) {
    const onOuterAbort = (): void => this.#fire('caller');
    if (outer?.aborted === true) onOuterAbort();
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    this.#detach = () => outer?.removeEventListener('abort', onOuterAbort);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  timeout(which: 'connect' | 'idle'): void {
    this.#fire(which);
  }

  /** Stop listening to the caller's signal once the request is over. */
  cancel(): void {
    this.#detach();
  }

  toError(error: unknown, url: string): DeviceError {
    if (error instanceof DeviceError) return error;
    if (this.#reason === 'connect' || this.#reason === 'idle') {
      return new DeviceError('STW_DEVICE_FETCH_TIMEOUT', `${this.#reason} timeout fetching ${url}`, { cause: error, details: { url, timeout: this.#reason } });
    }
    const aborted = this.#reason === 'caller';
    return new DeviceError('STW_DEVICE_FETCH_FAILED', `${aborted ? 'aborted' : 'failed'} fetching ${url}`, { cause: error, details: { url, aborted } });
  }

  #fire(reason: 'connect' | 'idle' | 'caller'): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#controller.abort(new Error(`${reason} abort`));
  }
}
