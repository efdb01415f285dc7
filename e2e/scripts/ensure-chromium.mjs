// Playwright cannot download browsers here: the e2e suite uses Debian's Chromium, and Debian's nginx
// for the TLS reverse-proxy test, installed on demand.
import { execSync } from 'node:child_process';
import fs from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NGINX = '/usr/sbin/nginx';
const missing = [
  ...(fs.existsSync(CHROMIUM) ? [] : ['chromium']),
  ...(fs.existsSync(NGINX) ? [] : ['nginx-light']),
];
if (missing.length > 0) {
  process.stdout.write(`Installing Debian packages the e2e tests need: ${missing.join(' ')}\n`);
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  execSync(
    `${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')}`,
    { stdio: 'inherit' },
  );
}
