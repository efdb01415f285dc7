export {
  configuredPypiReleases,
  DEFAULT_PYPI_URL,
  type LatestMeltanoRelease,
  PypiReleases,
  type PypiReleasesOptions,
  sharedPypiReleases,
} from './pypi-latest-version.js';
export { compareVersions, isNewerVersion } from './version-order.js';
