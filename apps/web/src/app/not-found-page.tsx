import { useLocation } from 'react-router';
import { Breadcrumbs } from '../components/breadcrumbs';
import { NotFound } from '../components/states';
import { usePageTitle } from '../lib/use-page-title';

/** The catch-all route: a mistyped or outdated address. */
export function NotFoundPage() {
  usePageTitle('Page not found');
  const { pathname } = useLocation();
  return (
    <>
      <Breadcrumbs items={[{ label: 'Page not found' }]} />
      <div className="page-head">
        <h2>Page not found</h2>
      </div>
      <NotFound title="There is no page at this address.">
        <code>{pathname}</code> is not a page of this UI: the link may be outdated or mistyped.
      </NotFound>
    </>
  );
}
