import { Search } from 'lucide-react';
import { lazy, Suspense, useEffect, useState } from 'react';

// The palette (and what it searches) loads on first open, not with the first page.
const CommandPalette = lazy(() => import('./command-palette'));

const isMac = /Mac|iPhone|iPad/.test(navigator.platform);

/** The header's "Search… ⌘K" button and the Ctrl/⌘-K shortcut, on every page. */
export function PaletteLauncher() {
  const [open, setOpen] = useState(false);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setLoaded(true);
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <>
      <button
        type="button"
        className="palette-button"
        aria-keyshortcuts="Control+K Meta+K"
        onClick={() => {
          setLoaded(true);
          setOpen(true);
        }}
      >
        <Search size={16} aria-hidden="true" />
        <span className="palette-text">Search…</span>
        <kbd>{isMac ? '⌘K' : 'Ctrl K'}</kbd>
      </button>
      {loaded ? (
        <Suspense fallback={null}>
          <CommandPalette open={open} onClose={() => setOpen(false)} />
        </Suspense>
      ) : null}
    </>
  );
}
