/** What a signed-in user sees on a page that is not theirs, or on an address that names no page. */
import { useSession } from '../app-context.js';
import { Link } from '../components/link.js';
import { Page } from '../components/page.js';
import { homePath } from '../session.js';

export function ForbiddenPage({ reason }: { reason: string }) {
  const { user } = useSession();
  return (
    <Page title="Not allowed">
      <div class="notice notice-error" role="alert">
        <p>{reason}</p>
      </div>
      <p>
        <Link href={homePath(user)}>Go to your start page</Link>
      </p>
    </Page>
  );
}

export function NotFoundPage() {
  const { user } = useSession();
  return (
    <Page title="Page not found">
      <p>There is no console page at this address.</p>
      <p>
        <Link href={homePath(user)}>Go to your start page</Link>
      </p>
    </Page>
  );
}
