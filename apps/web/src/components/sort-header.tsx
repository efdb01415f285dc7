import type { ReactNode } from 'react';
import './sort-header.css';

/**
 * A column header that sorts its table: a button inside the `th` (so it is reachable and named), with
 * `aria-sort` on the active column only, as the ARIA practices advise.
 */
export function SortHeader({
  children,
  active,
  dir,
  onSort,
}: {
  children: ReactNode;
  active: boolean;
  dir: 'asc' | 'desc';
  onSort: () => void;
}) {
  return (
    <th scope="col" aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button type="button" className="sort-button" onClick={onSort}>
        {children}
        <span className={`sort-arrow${active ? ' active' : ''}`} aria-hidden="true">
          {active ? (dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}
