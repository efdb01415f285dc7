import type { CoreContext } from '../core-context.js';
import { runnerDeps } from '../executor/index.js';
import { LaunchRunner } from '../executor/launch-runner.js';
import { DeploymentService } from './deployment-service.js';
import { parseWorkspaces } from './workspaces.js';

export type {
  DeploymentDetail,
  DeploymentStatus,
  DeploymentTrigger,
  DeploymentView,
} from './deployment.types.js';
export { checkBranchName, DeploymentService, type WebhookOutcome } from './deployment-service.js';
export type { CommitInfo } from './git-checkout.js';
export { NotAGitCheckoutError } from './git-checkout.js';
export {
  githubSignature,
  parseWebhookBody,
  readPushEvent,
  verifyGithubSignature,
  WebhookNotConfiguredError,
  WebhookSignatureError,
} from './github-webhook.js';
export { comparePromotion, type Promotion } from './promotion.js';
export { parseWorkspaces, type Workspace } from './workspaces.js';

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The deployment service of a core context, its settings read from ui.deploy.* once. */
export function createDeploymentService(
  core: CoreContext,
  opts: { pollMs?: number } = {},
): DeploymentService {
  const deps = runnerDeps(core);
  return new DeploymentService({
    root: core.root,
    tables: deps.tables,
    projectStore: core.projectStore,
    settings: {
      branch: text(core.settings['ui.deploy.branch'].value),
      remote: text(core.settings['ui.deploy.remote'].value) ?? 'origin',
      secret: text(core.settings['ui.deploy.secret'].value),
    },
    runner: new LaunchRunner(deps),
    now: core.now,
    ...opts,
  });
}

/** ui.workspaces of a core context (InvalidInputError naming the setting when it is malformed). */
export function workspacesOf(core: CoreContext) {
  return parseWorkspaces(text(core.settings['ui.workspaces'].value));
}
