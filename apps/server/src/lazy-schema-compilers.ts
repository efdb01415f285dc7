import AjvCompiler from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;

// One of each, as Fastify makes them: each keeps a pool of compilers (one Ajv instance per set of
// shared schemas), so building one per call would build Ajv again for every route.
const ajvFromPool = AjvCompiler();
const serializerFromPool = SerializerSelector();

/**
 * Fastify's own schema compilers (Ajv for requests, fast-json-stringify for responses), each route's
 * validator and serializer compiled when that route first needs it instead of all at boot; once the
 * server listens, `warmUp` compiles those of the GET routes in the background, one per event-loop
 * turn, so the first look at a page does not pay for them either.
 *
 * Compiling ~190 schemas up front took about 600 ms of a 1.6 s start-up, though most writes and
 * admin routes are never called in a given process. What is compiled, and so what is validated and
 * how answers are serialized, is exactly Fastify's default. A schema that cannot compile now fails
 * its route's first request (a 500) rather than the boot: the access-matrix and fuzz tests call
 * every route, so such a schema fails them.
 */
export function createLazySchemaCompilers() {
  // Compilers asked for and not built yet; warmUp builds the GET routes' ones.
  const pending = new Set<{ route: string; build: () => void }>();
  const lazily = <T>(route: string, compile: () => T): (() => T) => {
    let compiled: T | undefined;
    const entry = {
      route,
      build: () => {
        compiled ??= compile();
      },
    };
    pending.add(entry);
    return () => {
      if (compiled === undefined) {
        pending.delete(entry);
        compiled = compile();
      }
      return compiled;
    };
  };

  const compilersFactory: CompilersFactory = {
    buildValidator(...args: Parameters<typeof ajvFromPool>) {
      const compile = ajvFromPool(...args);
      return (route: Parameters<typeof compile>[0]) => {
        // Fastify passes the route ({ schema, method, url, httpPart }); Ajv's types call it a schema.
        const { method, url, httpPart } = route as unknown as {
          method?: string;
          url?: string;
          httpPart?: string;
        };
        const coercesText = httpPart !== 'body';
        const get = lazily(`${method} ${url}`, () => compile(route));
        // Fastify reads `errors` off the function it was given after a failed validation, and hands
        // an Ajv function (one with `schemaEnv`) the request as the parent of the data, so coercion
        // and defaults can replace a whole part: the same as it does for Ajv's own functions.
        const validate = Object.assign(
          (data: unknown, parent?: object) => {
            const compiled = get();
            const valid = (compiled as (data: unknown, parent?: object) => boolean)(data, parent);
            validate.errors = compiled.errors;
            const infinite = valid && coercesText ? nonFiniteKey(data) : null;
            if (infinite === null) return valid;
            validate.errors = [
              {
                instancePath: `/${infinite}`,
                schemaPath: `#/properties/${infinite}/type`,
                keyword: 'type',
                params: { type: 'finite number' },
                message: 'must be a finite number',
              },
            ];
            return false;
          },
          { errors: null as ReturnType<typeof compile>['errors'], schemaEnv: true },
        );
        return validate as unknown as ReturnType<typeof compile>;
      };
    },
    buildSerializer(...args: Parameters<typeof serializerFromPool>) {
      const compile = serializerFromPool(...args);
      return (route: Parameters<typeof compile>[0]) => {
        const get = lazily(`${route.method} ${route.url}`, () => compile(route));
        return (data: unknown) => get()(data);
      };
    },
  };

  /** Builds the compilers of `routes` ("GET /api/v1/identity") not built yet, one per event-loop turn. */
  async function warmUp(routes: ReadonlySet<string>): Promise<void> {
    for (const entry of [...pending]) {
      if (!routes.has(entry.route)) continue;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (pending.delete(entry)) entry.build();
    }
  }

  return { compilersFactory, warmUp };
}

/**
 * The first key of a validated querystring, params or headers object that Ajv coerced to ±Infinity.
 * Ajv turns the text "Infinity" into a number and then skips its integer and minimum/maximum checks,
 * which test `isFinite` (so `?limit=Infinity` passed a 1–200 schema); JSON bodies cannot hold one.
 */
function nonFiniteKey(data: unknown): string | null {
  if (data === null || typeof data !== 'object') return null;
  for (const [key, value] of Object.entries(data)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'number' && !Number.isFinite(v))) return key;
  }
  return null;
}
