import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** True when the built web app is served at `/`. */
    servesWebApp: boolean;
    /** index.html with its asset URLs under the base path, and the base path for the SPA's router. */
    indexHtml: string;
  }
}

/**
 * The build uses relative URLs (`./assets/…`); deep links need absolute ones, under `ui.base_path`.
 * The SPA reads the base path from a meta tag (no inline script: the CSP forbids them).
 */
export function indexHtmlFor(html: string, basePath: string): string {
  const escaped = basePath.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return html
    .replace(/(src|href)="\.\//g, `$1="${escaped}/`)
    .replace('<head>', `<head>\n    <meta name="meltano-ui-base-path" content="${escaped}" />`);
}

/**
 * Serves the built SPA at `/` (when `webRoot` holds it) and gives every route `reply.sendFile`, which
 * log downloads use for Range and conditional requests.
 */
export const webApp = fp(
  async (fastify: FastifyInstance, opts: { webRoot: string | null }) => {
    const root = opts.webRoot && fs.existsSync(path.join(opts.webRoot, 'index.html')) ? opts.webRoot : null;
    await fastify.register(fastifyStatic, {
      root: root ?? process.cwd(),
      serve: root !== null,
      wildcard: false,
      index: false,
      prefix: '/',
      setHeaders: (res, file) => {
        // Vite puts a content hash in asset names; index.html must always be revalidated.
        const immutable = file.includes(`${path.sep}assets${path.sep}`);
        res.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    fastify.decorate('servesWebApp', root !== null);
    fastify.decorate(
      'indexHtml',
      root === null
        ? ''
        : indexHtmlFor(fs.readFileSync(path.join(root, 'index.html'), 'utf8'), fastify.prefix),
    );
  },
  { name: 'web-app' },
);
