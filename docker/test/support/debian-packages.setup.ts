import { ensureDebianPackages } from '../../../e2e/scripts/ensure-debian-packages.mjs';

/** nginx for `nginx -t` of docker/nginx/nginx.conf, installed as the e2e suite installs it. */
export default function setup(): void {
  try {
    ensureDebianPackages(['nginx']);
  } catch (error) {
    // The nginx test then skips and says why; the other checks do not need it.
    process.stdout.write(`could not install nginx: ${(error as Error).message}\n`);
  }
}
