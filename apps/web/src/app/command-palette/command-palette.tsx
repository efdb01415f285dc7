import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { isAdmin, useIdentity } from '../../api/get-identity';
import { useJobs } from '../../features/pipelines/api/get-jobs';
import { useSchedules } from '../../features/pipelines/api/get-schedules';
import { usePlugins } from '../../features/plugins/api/get-plugins';
import { allItems, search } from './palette-items';
import './command-palette.css';

/** The search box and its results; mounted only while the palette is open (its queries poll). */
function PaletteBody({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate();
  const schedules = useSchedules().data;
  const jobs = useJobs().data;
  const plugins = usePlugins().data;
  const identity = useIdentity().data;
  const showUsers = identity?.permissions.manage_users.allowed === true && identity.authentication;
  const showNotifications = isAdmin(identity);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const id = useId();
  const listRef = useRef<HTMLDivElement>(null);
  const items = useMemo(
    () =>
      allItems({
        schedules: schedules ?? [],
        jobs: jobs ?? [],
        plugins: plugins ?? {},
        showUsers,
        showNotifications,
      }),
    [schedules, jobs, plugins, showUsers, showNotifications],
  );
  const results = useMemo(() => search(items, query), [items, query]);
  const current = Math.min(active, results.length - 1);
  // Keeps the highlighted option in view as the arrow keys move it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run when the highlight moves
  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [current]);
  const open = (index: number) => {
    const item = results[index];
    if (!item) return;
    onClose();
    void navigate(item.to);
  };
  const loading = !schedules || !jobs || !plugins;
  return (
    <>
      <input
        role="combobox"
        aria-label="Search pipelines, runs, plugins and pages"
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={current >= 0 ? `${id}-${current}` : undefined}
        placeholder="Search pipelines, runs (a number), plugins, pages…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          const step = { ArrowDown: 1, ArrowUp: -1 }[e.key];
          if (step !== undefined && results.length > 0) {
            e.preventDefault();
            setActive((current + step + results.length) % results.length);
          } else if (e.key === 'Home' && e.ctrlKey) setActive(0);
          else if (e.key === 'Enter') {
            e.preventDefault();
            open(current);
          }
        }}
      />
      <div role="listbox" id={`${id}-list`} aria-label="Results" ref={listRef} className="palette-list">
        {results.map((item, i) => (
          // Options are picked with the keyboard through the combobox (aria-activedescendant).
          // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox handles the keys
          <div
            key={`${item.kind}:${item.to}`}
            id={`${id}-${i}`}
            role="option"
            aria-selected={i === current}
            tabIndex={-1}
            onMouseMove={() => setActive(i)}
            onClick={() => open(i)}
          >
            <span className="palette-label">{item.label}</span>
            {item.detail ? <span className="muted palette-detail">{item.detail}</span> : null}
            <span className="tag">{item.kind}</span>
          </div>
        ))}
      </div>
      <p className="muted palette-foot" role="status">
        {results.length === 0
          ? loading
            ? 'Loading…'
            : 'Nothing matches.'
          : `${results.length} result${results.length === 1 ? '' : 's'} · ↑↓ to move, Enter to open, Esc to close`}
      </p>
    </>
  );
}

/** Ctrl/⌘-K: a modal search over pages, pipelines, plugins and runs by id. Loaded on first open. */
export default function CommandPalette({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  // A click on the backdrop (the dialog element itself, outside its content) closes it; the keyboard
  // closes it with Escape, native to <dialog>.
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape is handled by the dialog element
    <dialog
      ref={dialog}
      className="palette"
      aria-label="Command palette"
      onClose={onClose}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      {open ? <PaletteBody onClose={onClose} /> : null}
    </dialog>
  );
}
