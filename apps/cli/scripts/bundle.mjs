// The launcher users run, as one file: dist/main.js (tsc's output) and every pure-JavaScript
// dependency bundled by esbuild into dist/meltano-ui.mjs.
//
// Node 20 loads each of the ~1,500 modules of core, the server and their dependencies on its own
// (resolve, read, compile, link); one file is parsed once. Measured on 2 cores: `meltano ui` ready in
// ~0.5 s instead of ~1.1 s, and ~30 MiB less resident memory (bench/startup.bench.ts).
//
// Left out, loaded from node_modules at run time: the native addons (better-sqlite3, argon2).
// Code that looks for files next to itself (`__dirname`) gets the bundle's folder (the banner
// defines it for CommonJS code in ESM) — except @fastify/swagger-ui, whose two modules that read
// its own files (static/) get their real folder back from the installed package (swaggerUiFolder).
import path from 'node:path';
import { build } from 'esbuild';

const SWAGGER_UI = `${path.sep}@fastify${path.sep}swagger-ui${path.sep}`;

/** Gives @fastify/swagger-ui's modules the `__dirname` they would have had unbundled. */
const swaggerUiFolder = {
  name: 'swagger-ui-folder',
  setup(b) {
    b.onLoad({ filter: /@fastify[\\/]swagger-ui[\\/].*\.js$/ }, async (args) => {
      const fs = await import('node:fs/promises');
      const source = await fs.readFile(args.path, 'utf8');
      if (!source.includes('__dirname')) return undefined;
      const inPackage = path.dirname(args.path.slice(args.path.lastIndexOf(SWAGGER_UI) + SWAGGER_UI.length));
      const folder =
        "require('node:path').join(require('node:path').dirname(require.resolve('@fastify/swagger-ui/package.json')), " +
        `${JSON.stringify(inPackage)})`;
      return { contents: `var __dirname = ${folder};\n${source}`, loader: 'js' };
    });
  },
};

const here = new URL('..', import.meta.url);

await build({
  absWorkingDir: here.pathname,
  entryPoints: ['dist/main.js'],
  outfile: 'dist/meltano-ui.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'argon2'],
  plugins: [swaggerUiFolder],
  banner: {
    js: [
      "import { createRequire as __bundleRequire } from 'node:module';",
      "import { fileURLToPath as __bundlePath } from 'node:url';",
      'const require = __bundleRequire(import.meta.url);',
      'const __filename = __bundlePath(import.meta.url);',
      "const __dirname = __bundlePath(new URL('.', import.meta.url));",
    ].join('\n'),
  },
  legalComments: 'linked',
  // Licences go to dist/meltano-ui.mjs.LEGAL.txt (linked from the bundle's last line). Without
  // comments and with non-ASCII text escaped, V8 keeps the source as a one-byte string: one
  // em dash in a kept comment made it two bytes per character (10 MiB of heap for a 5 MiB file).
  // Names are kept (no minifyIdentifiers), so stack traces still read.
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
  logLevel: 'warning',
});
