/** What a page shows while its data loads, or when loading failed. */
import type { ComponentChildren } from 'preact';
import { describeError } from '../api/api-error.js';
import type { Resource } from '../hooks/use-resource.js';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p class="loading" role="status">
      {what}…
    </p>
  );
}

export function ErrorNotice({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div class="notice notice-error" role="alert">
      <p>{describeError(error)}</p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Renders `children(data)` once loaded; the loading and error states otherwise. */
export function Loaded<T>({ resource, children, what }: { resource: Resource<T>; children: (data: T) => ComponentChildren; what?: string }) {
  if (resource.data !== undefined) {
    return (
      <>
        {resource.error !== undefined && <ErrorNotice error={resource.error} retry={() => void resource.reload()} />}
        {children(resource.data)}
      </>
    );
  }
  if (resource.error !== undefined) return <ErrorNotice error={resource.error} retry={() => void resource.reload()} />;
  return <Loading {...(what ? { what } : {})} />;
}
