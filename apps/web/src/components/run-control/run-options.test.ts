import { describe, expect, it } from 'vitest';
import { describeRunOptions, runOptionsFrom } from './run-options';

describe('run options', () => {
  it('sends only what is set', () => {
    expect(
      runOptionsFrom({
        flags: { full_refresh: true, dry_run: false },
        state_id_suffix: '  backfill ',
        state_strategy: '',
        timeout: '',
      }),
    ).toEqual({ full_refresh: true, state_id_suffix: 'backfill' });
    expect(
      runOptionsFrom({ flags: {}, state_id_suffix: '', state_strategy: 'merge', timeout: '600' }),
    ).toEqual({ state_strategy: 'merge', timeout: 600 });
  });

  it('says what a run was started with', () => {
    expect(describeRunOptions({ full_refresh: true, state_strategy: 'merge', timeout: 60 })).toBe(
      'full refresh, state strategy merge, timeout 60 s',
    );
    expect(describeRunOptions({})).toBe('');
  });
});
