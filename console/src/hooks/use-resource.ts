/**
 * Loads data for a page and keeps loading / error / data together. A newer load wins: an
 * answer to an older one (the user moved on) is dropped.
 *
 * @example
 * const devices = useResource(() => api.get<DeviceList>('/v1/operator/devices', { flag }), [flag]);
 * if (devices.data) ...
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  /** Load again (after an action changed the data); keeps the old data until the answer. */
  reload(): Promise<void>;
}

export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const generation = useRef(0);
  const run = useCallback(load, deps); // the caller names the dependencies
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setState((previous) => ({ ...previous, loading: true }));
    try {
      const data = await run();
      if (mine === generation.current) setState({ data, error: undefined, loading: false });
    } catch (error) {
      if (mine === generation.current) setState((previous) => ({ data: previous.data, error, loading: false }));
    }
  }, [run]);
  useEffect(() => {
    setState({ data: undefined, error: undefined, loading: true });
    void reload();
  }, [reload]);
  return { ...state, reload };
}
