/**
 * Client-side routing under /console with the History API: the server answers the same
 * page for every path there, and this picks what to show. Links stay real `<a href>`s (open
 * in a new tab, copy the address); a plain click is taken over by `navigate`.
 *
 * @example
 * const match = matchPath('/console/devices/:deviceId', '/console/devices/dev_1'); // { deviceId: 'dev_1' }
 */
import { useEffect, useState } from 'preact/hooks';

export interface Location {
  readonly path: string;
  readonly query: URLSearchParams;
}

const listeners = new Set<() => void>();
let navigated = false;

/** Whether the user moved within the console since the page loaded (the first page keeps the browser's own focus order). */
export function hasNavigated(): boolean {
  return navigated;
}

function current(): Location {
  return { path: window.location.pathname.replace(/\/+$/, '') || '/', query: new URLSearchParams(window.location.search) };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  navigated = true;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const listener of listeners) listener();
}

/** The current location; re-renders on navigation and on back / forward. */
export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => {
      navigated = true;
      setLocation(current());
    };
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return location;
}

/** The parameters of `pattern` (`:name` segments) in `path`, or undefined when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i] ?? '';
    const value = have[i] ?? '';
    if (segment.startsWith(':')) {
      if (value === '') return undefined;
      try {
        params[segment.slice(1)] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    } else if (segment !== value) return undefined;
  }
  return params;
}

/** A plain left click without modifier keys: the app handles it instead of the browser. */
export function isPlainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey && !event.defaultPrevented;
}
