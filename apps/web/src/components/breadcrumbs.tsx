import { ChevronRight } from 'lucide-react';
import { Link } from 'react-router';

export interface Crumb {
  label: string;
  /** Where the crumb goes; the last crumb (this page) has none. */
  to?: string;
}

/** Where this page sits: "Pipelines › daily-orders › Run 5002", each level but the last a link. */
export function Breadcrumbs({ items }: { items: Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumbs">
      <ol>
        {items.map((c, i) => {
          const last = i === items.length - 1;
          return (
            <li key={`${c.label}:${c.to ?? ''}`}>
              {c.to && !last ? (
                <Link to={c.to}>{c.label}</Link>
              ) : (
                <span aria-current={last ? 'page' : undefined}>{c.label}</span>
              )}
              {last ? null : <ChevronRight size={14} aria-hidden="true" className="crumb-sep" />}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
