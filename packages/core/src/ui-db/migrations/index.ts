import type { Migration } from 'kysely';
import * as m0001 from './0001-create-ui-launches.js';
import * as m0002 from './0002-create-ui-users.js';
import * as m0003 from './0003-create-ui-login-attempts.js';
import * as m0004 from './0004-create-ui-replicas.js';
import * as m0005 from './0005-create-ui-workspace-settings.js';
import * as m0006 from './0006-create-ui-deployments.js';
import * as m0007 from './0007-create-ui-run-failure-causes.js';

/** Every migration of the UI's own `ui_` tables, in order. Names are frozen once released. */
export const UI_MIGRATIONS: Record<string, Migration> = {
  '0001-create-ui-launches': m0001,
  '0002-create-ui-users': m0002,
  '0003-create-ui-login-attempts': m0003,
  '0004-create-ui-replicas': m0004,
  '0005-create-ui-workspace-settings': m0005,
  '0006-create-ui-deployments': m0006,
  '0007-create-ui-run-failure-causes': m0007,
};
