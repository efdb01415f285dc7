import type { Migration } from 'kysely';
import * as m0001 from './0001-create-ui-launches.js';
import * as m0002 from './0002-create-ui-users.js';
import * as m0003 from './0003-create-ui-login-attempts.js';
import * as m0004 from './0004-create-ui-replicas.js';
import * as m0005 from './0005-create-ui-workspace-settings.js';
import * as m0006 from './0006-create-ui-deployments.js';
import * as m0007 from './0007-create-ui-run-failure-causes.js';
import * as m0008 from './0008-create-ui-run-metrics.js';
import * as m0009 from './0009-create-ui-notifications.js';
import * as m0010 from './0010-add-ui-launch-options.js';
import * as m0011 from './0011-create-ui-audit-log.js';
import * as m0012 from './0012-add-ui-oidc.js';
import * as m0013 from './0013-index-ui-launches-kind.js';
import * as m0014 from './0014-create-ui-subscriptions.js';

/** Every migration of the UI's own `ui_` tables, in order. Names are frozen once released. */
export const UI_MIGRATIONS: Record<string, Migration> = {
  '0001-create-ui-launches': m0001,
  '0002-create-ui-users': m0002,
  '0003-create-ui-login-attempts': m0003,
  '0004-create-ui-replicas': m0004,
  '0005-create-ui-workspace-settings': m0005,
  '0006-create-ui-deployments': m0006,
  '0007-create-ui-run-failure-causes': m0007,
  '0008-create-ui-run-metrics': m0008,
  '0009-create-ui-notifications': m0009,
  '0010-add-ui-launch-options': m0010,
  '0011-create-ui-audit-log': m0011,
  '0012-add-ui-oidc': m0012,
  '0013-index-ui-launches-kind': m0013,
  '0014-create-ui-subscriptions': m0014,
};
