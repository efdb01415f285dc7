export { bundledDefinition, bundledEntries, hubDocsUrl } from './bundled-catalog.js';
export type {
  CatalogEntry,
  CatalogSetting,
  CatalogVariant,
  DefinitionLookup,
  PluginCatalog,
  PluginDefinition,
} from './catalog.types.js';
export { HubClient, type HubClientOptions, sharedHubClient } from './hub-client.js';
export { DEFAULT_HUB_URL, type HubEndpoint, resolveHubEndpoint } from './hub-settings.js';
