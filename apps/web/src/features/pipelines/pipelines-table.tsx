import { useRef } from 'react';
import { SortHeader } from '../../components/sort-header';
import type { Schedule } from '../../lib/api-types';
import { type Group, PAGE_SIZE, pageOfGroups, type Sort, type SortKey, toggleSort } from './pipeline-order';
import { SCHEDULE_COLUMNS, ScheduleRow } from './schedule-row';
import './pipelines-table.css';

/** The schedules table: sortable headers, a heading row per group, 100 rows a page. */
export function PipelinesTable({
  groups,
  shown,
  total,
  sort,
  onSort,
  page,
  onPage,
}: {
  groups: Group[];
  shown: number;
  total: number;
  sort: Sort;
  onSort: (sort: Sort) => void;
  page: number;
  onPage: (page: number) => void;
}) {
  const current = pageOfGroups(groups, page);
  const top = useRef<HTMLDivElement>(null);
  const go = (n: number) => {
    onPage(n);
    top.current?.scrollIntoView({ block: 'start' });
  };
  const header = (key: SortKey, label: string) => (
    <SortHeader active={sort.key === key} dir={sort.dir} onSort={() => onSort(toggleSort(sort, key))}>
      {label}
    </SortHeader>
  );
  const first = (current.page - 1) * PAGE_SIZE + 1;
  const last = Math.min(current.page * PAGE_SIZE, shown);
  return (
    <div className="pipelines-scroll" ref={top}>
      <table className="data pipelines">
        <caption>
          Schedules <span className="muted">({shown === total ? shown : `${shown} of ${total}`})</span>
          {sort.key === 'problems' ? <span className="muted"> · problems first</span> : null}
        </caption>
        <thead>
          <tr>
            {header('name', 'Name')}
            <th scope="col">Runs</th>
            {header('status', 'Status')}
            {header('last-run', 'Last run')}
            {header('duration', 'Duration')}
            {header('next-run', 'Next run')}
            <th scope="col">Last 20</th>
            <th scope="col">Success</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        {current.groups.map((g) => (
          <tbody key={g.key}>
            {g.label ? (
              <tr className="group-row">
                <th scope="rowgroup" colSpan={SCHEDULE_COLUMNS}>
                  {g.label} <span className="muted">({g.total})</span>
                </th>
              </tr>
            ) : null}
            {g.rows.map((s: Schedule) => (
              <ScheduleRow key={s.name} s={s} />
            ))}
          </tbody>
        ))}
      </table>
      {current.pages > 1 ? (
        <nav className="pager" aria-label="Schedule pages">
          <button type="button" disabled={current.page === 1} onClick={() => go(current.page - 1)}>
            Previous page
          </button>
          <span aria-live="polite">
            {first}–{last} of {shown} · page {current.page} of {current.pages}
          </span>
          <button
            type="button"
            disabled={current.page === current.pages}
            onClick={() => go(current.page + 1)}
          >
            Next page
          </button>
        </nav>
      ) : null}
    </div>
  );
}
