import { describe, expect, it } from 'vitest';
import { detailsLabel, targetLabel } from './audit-view';

describe('audit entry view', () => {
  it("names the target by the route's parameters, in order", () => {
    expect(targetLabel({ type: 'extractors', name: 'tap-x', setting: 'api_key' })).toBe(
      'extractors / tap-x / api_key',
    );
    expect(targetLabel({})).toBe('—');
  });

  it('shows the details a route added, not the body field names', () => {
    expect(detailsLabel({ body_fields: ['options'], options: { full_refresh: true }, store: 'dotenv' })).toBe(
      'options: {"full_refresh":true}, store: dotenv',
    );
    expect(detailsLabel({ body_fields: ['name'] })).toBe('');
    // A run without options says nothing rather than `options: {}`.
    expect(detailsLabel({ options: {}, store: 'dotenv' })).toBe('store: dotenv');
  });
});
