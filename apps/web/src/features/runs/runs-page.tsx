import { Breadcrumbs } from '../../components/breadcrumbs';
import { RunHistory } from '../../components/run-history/run-history';
import { TimeZoneToggle } from '../../components/time-zone-toggle';
import { usePageTitle } from '../../lib/use-page-title';

export function RunsPage() {
  usePageTitle('Runs');
  return (
    <>
      <Breadcrumbs items={[{ label: 'Runs' }]} />
      <div className="page-head">
        <h2>Runs</h2>
        <span className="muted">Every run in the system database, newest first</span>
        <TimeZoneToggle />
      </div>
      <RunHistory caption="Runs" />
    </>
  );
}
