import { describe, expect, it } from 'vitest';
import { allItems, search } from './palette-items';

const items = allItems({
  schedules: [
    { name: 'daily-orders', extractor: 'tap-shop', loader: 'target-pg', job: null },
    { name: 'hourly-sync', extractor: null, loader: null, job: 'sync-job' },
  ],
  jobs: [{ name: 'sync-job' }],
  plugins: { extractors: [{ name: 'tap-shop' }], loaders: [{ name: 'target-pg' }] },
  showUsers: false,
  showNotifications: false,
});

describe('command palette search', () => {
  it('offers a run for a number, before anything else', () => {
    expect(search(items, '5002')[0]).toEqual({ kind: 'Run', label: 'Run 5002', to: '/runs/5002' });
    expect(search(items, '#12')[0]?.to).toBe('/runs/12');
    expect(search(items, 'run 7')[0]?.to).toBe('/runs/7');
  });

  it('finds pipelines and plugins by name, type and plugin, label prefix first', () => {
    expect(search(items, 'tap-shop').map((i) => i.to)).toEqual([
      '/plugins/extractors/tap-shop',
      '/schedules/daily-orders',
    ]);
    expect(search(items, 'loaders target').map((i) => i.to)).toEqual(['/plugins/loaders/target-pg']);
    expect(search(items, 'sync').map((i) => i.kind)).toEqual(['Job', 'Schedule']);
  });

  it('finds pages, and hides Users unless it is shown in the menu', () => {
    expect(search(items, 'settings').map((i) => i.to)).toEqual(['/settings']);
    expect(search(items, 'users')).toEqual([]);
  });

  it('offers Notifications to admins only, as the menu does', () => {
    expect(search(items, 'notif')).toEqual([]);
    const admin = allItems({
      schedules: [],
      jobs: [],
      plugins: {},
      showUsers: true,
      showNotifications: true,
    });
    expect(search(admin, 'notif')).toEqual([{ kind: 'Page', label: 'Notifications', to: '/notifications' }]);
    expect(search(admin, 'audit')).toEqual([{ kind: 'Page', label: 'Audit log', to: '/audit' }]);
    expect(search(items, 'audit')).toEqual([]);
  });

  it('encodes names in the address', () => {
    const odd = allItems({
      schedules: [{ name: 'a/b c' }],
      jobs: [],
      plugins: {},
      showUsers: false,
      showNotifications: false,
    });
    expect(search(odd, 'a/b')[0]?.to).toBe('/schedules/a%2Fb%20c');
  });
});
