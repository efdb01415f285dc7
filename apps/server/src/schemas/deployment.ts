import { Type } from 'typebox';
import { Nullable, StringEnum, Timestamp } from './common.js';

const Sha = Type.String({ description: 'A full commit hash' });

export const DeploymentStatus = StringEnum(['queued', 'running', 'succeeded', 'failed', 'ignored'], {
  description: '`ignored`: a webhook push that does not deploy here (`reason` says why)',
});

const deploymentFields = {
  id: Type.String({ format: 'uuid' }),
  status: DeploymentStatus,
  trigger: StringEnum(['webhook', 'api', 'user'], {
    description: '`webhook`: a signed GitHub push; `api`: an API token; `user`: a signed-in user',
  }),
  branch: Type.String(),
  requested_commit: Nullable(Type.String({ description: 'What was asked for; null: the branch tip' })),
  commit: Nullable(Type.String({ description: 'The commit deployed (known once fetched)' })),
  previous_commit: Nullable(Type.String({ description: 'HEAD of the checkout before' })),
  author: Nullable(Type.String({ description: "The commit's author, `Name <email>`" })),
  message: Nullable(Type.String({ description: "The commit's subject line" })),
  requested_by: Nullable(Type.String({ description: 'The user, or the pusher of a webhook push' })),
  reason: Nullable(Type.String({ description: 'Why a webhook push was ignored' })),
  error: Nullable(Type.String({ description: 'Why it failed' })),
  installed: Type.Boolean({ description: '`meltano install` ran (plugins or lock files changed)' }),
  created_at: Timestamp,
  started_at: Nullable(Timestamp),
  ended_at: Nullable(Timestamp),
  duration_seconds: Nullable(Type.Number()),
};

export const Deployment = Type.Object(deploymentFields, { $id: 'Deployment' });

export const DeploymentDetail = Type.Object(
  {
    ...deploymentFields,
    log: Type.String({ description: 'Timestamped lines: git, the checks, meltano install (bounded)' }),
  },
  { $id: 'DeploymentDetail' },
);

export const DeploymentList = Type.Object({
  deployments: Type.Array(Type.Ref('Deployment')),
  branch: Nullable(Type.String({ description: 'The branch deployments move (null: none, see `problem`)' })),
  remote: Type.String(),
  webhook_configured: Type.Boolean({ description: 'ui.deploy.secret is set' }),
  problem: Nullable(Type.String({ description: 'Why deployments cannot run here (not a Git checkout, …)' })),
});

export const DeployBody = Type.Object(
  {
    commit: Type.Optional(
      Type.String({ pattern: '^[0-9a-fA-F]{7,64}$', description: 'A commit of the branch; default its tip' }),
    ),
  },
  { additionalProperties: false },
);

export const DeployAccepted = Type.Object({
  deployment: Type.Ref('Deployment'),
  deduplicated: Type.Boolean({ description: 'The same commit was queued or running already: that one' }),
});

export const WebhookPong = Type.Object({ event: Type.Literal('ping'), message: Type.String() });

export const WebhookAccepted = Type.Object({
  status: StringEnum(['queued', 'running', 'ignored']),
  reason: Nullable(Type.String()),
  deployment: Nullable(Deployment),
  deduplicated: Type.Boolean(),
});

const Commit = Type.Object({
  sha: Sha,
  author: Type.String(),
  email: Type.String(),
  date: Timestamp,
  subject: Type.String(),
});

export const Promotion = Type.Object({
  source: Type.Object({
    branch: Type.String(),
    commit: Nullable(Sha),
    deployed: Type.String({ description: 'HEAD of this checkout' }),
  }),
  target: Type.Object({ branch: Type.String(), commit: Nullable(Sha) }),
  commits: Type.Array(Commit, { description: 'On this branch, not on the target: what a merge would bring' }),
  commits_truncated: Type.Boolean(),
  files: Type.Array(
    Type.Object({
      path: Type.String(),
      additions: Nullable(Type.Integer()),
      deletions: Nullable(Type.Integer()),
    }),
  ),
  diff: Type.String({ description: 'Unified diff of meltano.yml, included files and lock files (bounded)' }),
  diff_truncated: Type.Boolean(),
  fetch_log: Type.Array(Type.String()),
});

export const BranchQuery = Type.Object({
  branch: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._/-]+$' }),
});

export const WorkspaceList = Type.Object({
  branch: Nullable(Type.String({ description: "This workspace's branch" })),
  workspaces: Type.Array(Type.Object({ name: Type.String(), url: Type.String(), branch: Type.String() })),
});
