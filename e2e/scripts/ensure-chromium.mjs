// Playwright cannot download browsers here: the e2e suite uses Debian's Chromium, Debian's nginx for the
// TLS reverse-proxy test and Debian's tini for the runtime-image test, installed on demand.
import { ensureDebianPackages } from './ensure-debian-packages.mjs';

ensureDebianPackages(['chromium', 'nginx', 'tini']);
