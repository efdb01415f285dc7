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

const stubs = (process.env.STUBS || '').split(',').filter(Boolean);
const stub = {
  name: 'stub',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (a) =>
      stubs.includes(a.path) ? { path: a.path, namespace: 'stub' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents:
        'module.exports = new Proxy(function(){}, { get: (t,k) => k === "__esModule" ? false : t[k] ?? (()=>({})) });',
      loader: 'js',
    }));
  },
};
await build({
  absWorkingDir: process.cwd(),
  entryPoints: ['dist/main.js'],
  outfile: 'dist/meltano-ui.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'argon2'],
  plugins: [stub, swaggerUiFolder],
  banner: {
    js: [
      "import { createRequire as __bundleRequire } from 'node:module';",
      "import { fileURLToPath as __bundlePath } from 'node:url';",
      'const require = __bundleRequire(import.meta.url);',
      'const __filename = __bundlePath(import.meta.url);',
      "const __dirname = __bundlePath(new URL('.', import.meta.url));",
    ].join('\n'),
  },
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
  legalComments: 'none',
  logLevel: 'error',
});
