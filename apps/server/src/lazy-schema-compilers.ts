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
 * validator and serializer compiled when that route first needs it instead of all at boot.
 *
 * Compiling ~190 schemas up front took about 600 ms of a 1.6 s start-up and kept every generated
 * function in memory, though most routes (admin pages, settings writes, the old UI's API) are never
 * called in a given process. The first call of a route pays a few milliseconds instead; what is
 * compiled, and so what is validated and how answers are serialized, is exactly Fastify's default.
 * A schema that cannot compile now fails its route's first request (a 500) rather than the boot:
 * the access-matrix and fuzz tests call every route, so such a schema fails them.
 */
export const lazySchemaCompilers: CompilersFactory = {
  buildValidator(...args: Parameters<typeof ajvFromPool>) {
    const compile = ajvFromPool(...args);
    return (route: Parameters<typeof compile>[0]) => {
      let compiled: ReturnType<typeof compile> | undefined;
      // Fastify reads `errors` off the function it was given after a failed validation, and hands
      // an Ajv function (one with `schemaEnv`) the request as the parent of the data, so coercion
      // and defaults can replace a whole part: the same as it does for Ajv's own functions.
      const validate = Object.assign(
        (data: unknown, parent?: object) => {
          compiled ??= compile(route);
          const valid = (compiled as (data: unknown, parent?: object) => boolean)(data, parent);
          validate.errors = compiled.errors;
          return valid;
        },
        { errors: null as ReturnType<typeof compile>['errors'], schemaEnv: true },
      );
      return validate as unknown as ReturnType<typeof compile>;
    };
  },
  buildSerializer(...args: Parameters<typeof serializerFromPool>) {
    const compile = serializerFromPool(...args);
    return (route: Parameters<typeof compile>[0]) => {
      let compiled: ReturnType<typeof compile> | undefined;
      return (data: unknown) => {
        compiled ??= compile(route);
        return compiled(data);
      };
    };
  },
};
