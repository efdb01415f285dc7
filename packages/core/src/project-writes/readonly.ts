import { CoreError } from '../errors.js';
import { truthy } from '../plugin-settings/setting-value.js';
import type { Project } from '../project/project.types.js';

/**
 * `project_readonly` as Meltano resolves it for this purpose: the process environment, then `.env`, then
 * meltano.yml. The writers here do not check it; the server calls this before every project write.
 */
export function isProjectReadonly(project: Project, env: NodeJS.ProcessEnv = process.env): boolean {
  const fromEnv = env.MELTANO_PROJECT_READONLY ?? project.dotenv.MELTANO_PROJECT_READONLY;
  if (fromEnv !== undefined) return truthy(fromEnv);
  return truthy(project.settings.project_readonly);
}

export const PROJECT_READONLY_MESSAGE = 'This Meltano project is deployed as read-only';

export class ProjectReadonlyError extends CoreError {
  constructor() {
    // The old Meltano UI's answer (status 499, the message as the code), which scripts may match on.
    super(
      PROJECT_READONLY_MESSAGE,
      499,
      `${PROJECT_READONLY_MESSAGE} (project_readonly is set): project files cannot be changed here`,
    );
  }
}

export function assertProjectWritable(project: Project, env: NodeJS.ProcessEnv = process.env): void {
  if (isProjectReadonly(project, env)) throw new ProjectReadonlyError();
}
