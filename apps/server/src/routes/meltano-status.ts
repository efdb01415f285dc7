import {
  accessRefusal,
  configuredPypiReleases,
  createMeltanoUpgrader,
  isNewerVersion,
  type MeltanoUpgrader,
  type UpgradeView,
} from '@meltano-ui/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { holdsAccess } from '../plugins/app/access-control.js';
import { shownCommand, textShower } from './shown-path.js';

const upgraders = new WeakMap<FastifyInstance['core'], MeltanoUpgrader>();

/** One upgrader per core context: the old route and ours start the same upgrades. */
export function upgraderOf(fastify: FastifyInstance): MeltanoUpgrader {
  let upgrader = upgraders.get(fastify.core);
  if (!upgrader) {
    upgrader = createMeltanoUpgrader(fastify.core);
    upgraders.set(fastify.core, upgrader);
  }
  return upgrader;
}

/**
 * The Meltano CLI's version, asked again once an upgrade (started by any replica) ended after the last
 * time it was asked: an upgrade changes what `meltano --version` answers.
 */
export async function currentMeltanoVersion(fastify: FastifyInstance, latest?: UpgradeView | null) {
  const runtime = fastify.meltanoRuntime;
  const last =
    latest === undefined
      ? await upgraderOf(fastify)
          .latest()
          .catch(() => null)
      : latest;
  if (last?.ended_at && Date.parse(last.ended_at) >= runtime.checkedSince) return runtime.recheck(5000);
  return runtime.settled(3000);
}

/** What GET /meltano answers: the CLI's version, the newest on PyPI, and whether the caller may upgrade. */
export async function meltanoStatus(request: FastifyRequest) {
  const fastify = request.server;
  const { core } = fastify;
  const upgrader = upgraderOf(fastify);
  const admin = holdsAccess(core, request.principal, 'admin-read');
  const [latestUpgrade, release] = await Promise.all([
    upgrader.latest().catch(() => null),
    configuredPypiReleases(core.settings).latest(),
  ]);
  const runtime = await currentMeltanoVersion(fastify, latestUpgrade);
  const running = latestUpgrade?.status === 'running';
  const refusal = accessRefusal('admin-change', request.principal, {
    readonly: core.readonly,
    anonymousReadonly: core.anonymousReadonly,
    projectReadonly: false,
  });
  const meltanoRefusal = upgrader.refusal();
  const reason =
    refusal?.message ??
    (!runtime.available ? (runtime.reason ?? 'The Meltano CLI was not found') : null) ??
    (meltanoRefusal
      ? `The \`meltano\` package cannot be upgraded automatically here because ${meltanoRefusal.reason}.${meltanoRefusal.instructions ? ` To upgrade manually, ${meltanoRefusal.instructions}.` : ''}`
      : null) ??
    (running ? 'Meltano is being upgraded already' : null);
  return {
    version: runtime.version,
    available: runtime.available,
    latest_version: release.version,
    latest_source: release.source,
    latest_checked_at: release.checked_at,
    latest_error: admin ? release.error : null,
    upgrade_available: isNewerVersion(release.version, runtime.version),
    upgrade: {
      allowed: reason === null,
      reason: reason === null ? null : textShower(request)(reason),
      latest: admin && latestUpgrade ? shownUpgrade(request, latestUpgrade) : null,
    },
  };
}

export function shownUpgrade(request: FastifyRequest, upgrade: UpgradeView): UpgradeView {
  return shownCommand(request, upgrade);
}
