// Debian packages the tests need, installed on demand (Playwright's own browser download does not work
// here). Each entry: the file the test runs and the package that provides it.
import { execSync } from 'node:child_process';
import fs from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const NGINX = '/usr/sbin/nginx';
export const TINI = '/usr/bin/tini';

export const PACKAGES = {
  chromium: { file: CHROMIUM, pkg: 'chromium' },
  // The TLS reverse-proxy tests and docker/'s `nginx -t` of docker/nginx/nginx.conf.
  nginx: { file: NGINX, pkg: 'nginx-light' },
  // The runtime-image e2e starts the image's ENTRYPOINT, tini included.
  tini: { file: TINI, pkg: 'tini' },
};

/** Installs the packages whose file is missing (apt-get, as root or through sudo). */
export function ensureDebianPackages(names) {
  const missing = names
    .map((n) => PACKAGES[n])
    .filter((p) => !fs.existsSync(p.file))
    .map((p) => p.pkg);
  if (missing.length === 0) return;
  process.stdout.write(`Installing Debian packages the tests need: ${missing.join(' ')}\n`);
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  execSync(
    `${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')}`,
    { stdio: 'inherit' },
  );
}
