/** JSON logs (pino) for machines; readable lines when a person is watching a terminal. */
export function createLogger(): {
  level: string;
  transport?: { target: string; options: Record<string, unknown> };
} {
  const level = process.env.MELTANO_CLI_LOG_LEVEL ?? 'info';
  if (process.stdout.isTTY) {
    return {
      level,
      transport: {
        target: 'pino-pretty',
        options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
      },
    };
  }
  return { level };
}
