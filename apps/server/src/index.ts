export type { AppOptions, ServerLimits } from './app.js';
export { API_PREFIX, app } from './app.js';
export { pinoLevelOf, redactUrl, type ServerLogOptions } from './log-options.js';
export type { BuildServerOptions } from './server.js';
export { buildServer, closeServer, defaultWebRoot } from './server.js';
export { UI_VERSION } from './version.js';
export { reachableAddress } from './warm-request-path.js';
