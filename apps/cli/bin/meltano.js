#!/usr/bin/env node
// meltano-ui-launcher: the Meltano UI's own launcher, not the Python Meltano CLI (core skips it on PATH).
import('../dist/meltano-ui.mjs').then((m) => m.main(process.argv.slice(2), { uiOnly: false }));
