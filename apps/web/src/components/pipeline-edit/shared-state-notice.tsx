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

/** "and 17 more schedules and 2 more jobs": the API lists ten of each. */
function more({ more_schedules, more_jobs }: SharedStateIds[number]) {
  const parts = [
    more_schedules > 0 ? `${more_schedules} more schedule${more_schedules === 1 ? '' : 's'}` : null,
    more_jobs > 0 ? `${more_jobs} more job${more_jobs === 1 ? '' : 's'}` : null,
  ].filter(Boolean);
  return `and ${parts.join(' and ')}`;
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
              ...(s.more_schedules + s.more_jobs > 0 ? [<span key="more">{more(s)}</span>] : []),
            ])}
            .
          </li>
        ))}
      </ul>
    </div>
  );
}
