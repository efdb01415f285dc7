import type { SearchState } from '../hooks/use-log-search';

export interface ErrorFinderProps {
  state: SearchState;
  disabled: boolean;
  onFind: () => void;
}

/** "Jump to first error" and where it landed, apart from the text search's results. */
export function ErrorFinder({ state, disabled, onFind }: ErrorFinderProps) {
  return (
    <span className="log-errors">
      <button type="button" onClick={onFind} disabled={disabled}>
        Jump to first error
      </button>
      <output aria-live="polite" aria-label="First error">
        {errorStatus(state)}
      </output>
    </span>
  );
}

function errorStatus(state: SearchState): string {
  if (state.status === 'searching') {
    return state.progress === null ? 'Looking…' : `Looking… ${Math.round(state.progress * 100)}%`;
  }
  if (state.status === 'found' && state.match)
    return `First error: line ${state.match.line.toLocaleString()}`;
  if (state.status === 'not-found' || state.status === 'error') return state.message ?? '';
  return '';
}
