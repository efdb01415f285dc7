#!/bin/sh
# The runtime stage's contents, made in one place: docker/Dockerfile runs this in its build stage and
# the e2e (e2e/tests/runtime-image.spec.ts) runs it on the host, so what the test starts is what the
# image holds. Needs a built workspace (`pnpm run build`). Usage: docker/build-runtime.sh OUT_DIR
set -eu
out="$1"
cd "$(dirname "$0")/.."
# Production dependencies of the launcher, which pulls the server and core. --legacy: pnpm 10 deploys
# non-injected workspaces only this way (inject-workspace-packages would change how the whole
# workspace links in development).
npx -y pnpm@10 deploy --legacy --prod --filter @meltano-ui/cli "$out"
# pnpm 10 also writes the package's bin links under the workspace at an absolute OUT_DIR taken as
# relative (./opt/meltano-ui/node_modules/.bin): drop that stray copy, the deploy folder has its own.
case "$out" in
  /*) rm -rf "./${out#/}/node_modules/.bin" && rmdir -p "./${out#/}/node_modules" 2>/dev/null || true ;;
esac
# The SPA is not beside the server package in a deploy folder: MELTANO_UI_WEB_ROOT points here.
cp -r apps/web/dist "$out/web-dist"
