import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Schedule } from '../../lib/api-types';

export type SharedStateIds = Schedule['shared_state_ids'];

const link = (kind: 'schedules' | 'jobs', name: string) => (
  <Link key={`${kind}/${name}`} to={`/${kind}/${encodeURIComponent(name)}`}>
    {name}
  </Link>
);

function joined(items: ReactNode[]) {
  return items.flatMap((item, i) => (i === 0 ? [item] : [', ', item]));
}

/**
 * Meltano keys runs and Singer state by state ID, not by schedule or job: when another pipeline
 * writes the same ID, they share bookmarks, and the history shown here holds its runs too.
 */
export function SharedStateNotice({ shared, what }: { shared: SharedStateIds; what: string }) {
  if (shared.length === 0) return null;
  return (
    <div className="warn-box" role="note" aria-label="Shared state ID">
      <p>
        <strong>
          {what} shares {shared.length === 1 ? 'its state ID' : `${shared.length} state IDs`} with other
          pipelines.
        </strong>{' '}
        They read and write the same Singer state (bookmarks), and the run history here includes their runs.
      </p>
      <ul>
        {shared.map((s) => (
          <li key={s.state_id}>
            <code>{s.state_id}</code> is also recorded by{' '}
            {joined([
              ...s.schedules.map((name) => <span key={`s/${name}`}>schedule {link('schedules', name)}</span>),
              ...s.jobs.map((name) => <span key={`j/${name}`}>job {link('jobs', name)}</span>),
            ])}
            .
          </li>
        ))}
      </ul>
    </div>
  );
}
