export {
  ACTIVE_ENVIRONMENT_CACHE_MS,
  type ActiveEnvironment,
  ActiveEnvironmentLockedError,
  type ActiveEnvironmentService,
  type ActiveEnvironmentSource,
  createActiveEnvironment,
  type EnvironmentChoices,
  environmentChoices,
} from './active-environment.js';
export {
  createWorkspaceSettingsRepository,
  type StoredWorkspaceSetting,
  type WorkspaceSettingsRepository,
} from './workspace-settings.repository.js';
