import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { holdsAccess } from '../plugins/app/access-control.js';

/**
 * Absolute filesystem paths tell an attacker where things live (home folder, user name, layout), so
 * only admins see them; others get paths relative to the project, or the bare file name outside it.
 */
export function pathShower(request: FastifyRequest): (absolute: string) => string {
  const { core } = request.server;
  if (holdsAccess(core, request.principal, 'admin-read')) return (absolute) => absolute;
  const root = path.resolve(core.root);
  return (absolute) => {
    if (!path.isAbsolute(absolute)) return absolute;
    const relative = path.relative(root, absolute);
    if (relative === '') return '.';
    return relative.startsWith('..') || path.isAbsolute(relative) ? path.basename(absolute) : relative;
  };
}

/** Every absolute path inside the project named in `text` (a message, a database URI), made relative. */
export function textShower(request: FastifyRequest): (text: string) => string {
  const { core } = request.server;
  if (holdsAccess(core, request.principal, 'admin-read')) return (text) => text;
  const root = path.resolve(core.root);
  return (text) => text.split(`${root}${path.sep}`).join('');
}

/** A launch or install record: the executable's absolute path, and any in the error, for admins only. */
export function shownCommand<T extends { argv: string[]; error: string | null }>(
  request: FastifyRequest,
  record: T,
): T {
  const showPath = pathShower(request);
  const showText = textShower(request);
  return {
    ...record,
    argv: record.argv.map((arg, i) => (i === 0 ? showPath(arg) : showText(arg))),
    error: record.error === null ? null : showText(record.error),
  };
}
