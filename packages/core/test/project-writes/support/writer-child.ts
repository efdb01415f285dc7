/** Child process for the cross-process tests: `add <root> <prefix> <count>` or `loop <file> <root>`. */
import { atomicWriteYaml } from '../../../src/project-writes/atomic-write.js';
import { createSchedule } from '../../../src/project-writes/schedules.writer.js';

const [mode, target, arg, count] = process.argv.slice(2);
if (mode === 'add' && target && arg) {
  for (let i = 0; i < Number(count); i++) {
    await createSchedule(target, { name: `${arg}-${i}`, interval: '@daily', job: 'ui-job' });
  }
} else if (mode === 'loop' && target && arg) {
  // Large documents so a kill often lands inside a write.
  const body = (tag: string) =>
    `schedules:\n${Array.from({ length: 4000 }, (_, i) => `- {name: ${tag}${i}, interval: '@daily', job: j}`).join('\n')}\n`;
  for (let i = 0; ; i++) await atomicWriteYaml(target, body(i % 2 === 0 ? 'a' : 'b'), { root: arg });
}
