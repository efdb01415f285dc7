import { type KeyboardEvent, type RefObject, useState } from 'react';
import type { SearchState } from '../hooks/use-log-search';

export interface SearchBarProps {
  inputRef: RefObject<HTMLInputElement | null>;
  state: SearchState;
  onFind: (query: string, direction: 'forward' | 'backward') => void;
  onClear: () => void;
}

/** The search field: Enter finds the next match, Shift+Enter the previous, Escape clears. */
export function SearchBar({ inputRef, state, onFind, onClear }: SearchBarProps) {
  const [query, setQuery] = useState('');
  const find = (direction: 'forward' | 'backward') => {
    if (query.trim() !== '') onFind(query, direction);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      find(event.shiftKey ? 'backward' : 'forward');
    } else if (event.key === 'Escape' && query !== '') {
      event.preventDefault();
      setQuery('');
      onClear();
    }
  };
  return (
    <search className="log-search" aria-label="Search the log">
      <input
        ref={inputRef}
        type="search"
        aria-label="Search the log"
        placeholder="Search the whole log"
        aria-describedby="log-search-help"
        value={query}
        maxLength={500}
        onChange={(event) => setQuery(event.target.value.replace(/[\r\n]/g, ' '))}
        onKeyDown={onKeyDown}
      />
      <span id="log-search-help" className="sr-only">
        Enter finds the next match, Shift+Enter the previous one, Escape clears.
      </span>
      <button
        type="button"
        onClick={() => find('backward')}
        aria-label="Previous match"
        title="Previous match (Shift+Enter)"
      >
        ↑
      </button>
      <button
        type="button"
        onClick={() => find('forward')}
        aria-label="Next match"
        title="Next match (Enter)"
      >
        ↓
      </button>
      <output className="log-search-status" aria-live="polite" aria-label="Search result">
        {searchStatus(state)}
      </output>
    </search>
  );
}

function searchStatus(state: SearchState): string {
  if (state.status === 'searching') {
    return state.progress === null ? 'Searching…' : `Searching… ${Math.round(state.progress * 100)}%`;
  }
  if (state.status === 'found' && state.match) {
    return `Match on line ${state.match.line.toLocaleString()}${state.wrapped ? ' (wrapped around)' : ''}`;
  }
  if (state.status === 'not-found' || state.status === 'error') return state.message ?? '';
  return '';
}
