// A PostgreSQL server of a test's own (initdb into a temp folder, a free loopback port), for tests
// that stop and start the database under a running UI. The machine's shared server on 5432 is never
// touched: these clusters are the only ones a test may stop.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The newest installed server binaries (Debian: /usr/lib/postgresql/<major>/bin), or MELTANO_UI_TEST_PG_BIN. */
export function postgresBinDir() {
  if (process.env.MELTANO_UI_TEST_PG_BIN) return process.env.MELTANO_UI_TEST_PG_BIN;
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors[0] === undefined) {
    throw new Error(`No PostgreSQL server binaries under ${base}; set MELTANO_UI_TEST_PG_BIN`);
  }
  return path.join(base, majors[0], 'bin');
}

/** A port nothing listens on right now (the kernel's pick, released at once). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/**
 * PostgreSQL refuses to run as root: as root the binaries run as the `postgres` user (the data folder
 * is handed to it); as anyone else they run as that user.
 */
function postgresUser() {
  if (process.getuid?.() !== 0) return null;
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function run(user, file, args) {
  const [cmd, argv] = user === null ? [file, args] : ['runuser', ['-u', 'postgres', '--', file, ...args]];
  try {
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (err) {
    throw new Error(
      `${path.basename(file)} ${args.join(' ')} failed: ${err.stdout ?? ''}${err.stderr ?? ''}`,
    );
  }
}

/**
 * initdb (trust auth) and start a cluster on a free port, its socket in the temp folder. `stop()` and
 * `start()` take it down and up again on the same port and data; `destroy()` stops it and removes
 * everything.
 */
export async function startPostgresCluster(prefix = 'meltano-ui-pg-') {
  const bin = postgresBinDir();
  const user = postgresUser();
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const data = path.join(dir, 'data');
  if (user !== null) chownSync(dir, user.uid, user.gid);
  chmodSync(dir, 0o700);
  run(user, path.join(bin, 'initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  const port = await freePort();
  const logFile = path.join(dir, 'server.log');
  // fsync off: nothing here must survive a power cut, and the machine's disks are shared.
  const options = `-k ${dir} -c listen_addresses=127.0.0.1 -p ${port} -c fsync=off -c max_connections=50`;
  let running = false;
  const serverPids = () => {
    if (!running) return [];
    const postmaster = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((pid) => {
        try {
          // Field 4 of /proc/<pid>/stat, after the parenthesised command name, is the parent's pid.
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
        } catch {
          return false;
        }
      })
      .map(Number);
    return [postmaster, ...children];
  };

  const cluster = {
    port,
    dir,
    /** A connection URI as postgres (trust) to `database` on this cluster. */
    url: (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    get running() {
      return running;
    },
    /** Waits until the server accepts connections (`pg_ctl -w`). */
    start() {
      run(user, path.join(bin, 'pg_ctl'), [
        '-D',
        data,
        '-l',
        logFile,
        '-o',
        options,
        '-w',
        '-t',
        '30',
        'start',
      ]);
      running = true;
    },
    /** `fast` rolls back and disconnects every client; `immediate` aborts without a checkpoint. */
    stop(mode = 'fast') {
      if (!running) return;
      run(user, path.join(bin, 'pg_ctl'), ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);
      running = false;
    },
    /**
     * SIGSTOP (or SIGCONT) to the postmaster and every process it forked: a server that hangs rather
     * than refuses (the kernel still completes TCP handshakes, nothing answers).
     */
    freeze() {
      for (const pid of serverPids()) signal(pid, 'SIGSTOP');
    },
    thaw() {
      for (const pid of serverPids()) signal(pid, 'SIGCONT');
    },
    destroy() {
      cluster.thaw();
      try {
        cluster.stop('immediate');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  cluster.start();
  return cluster;
}

/** Sends `name` to `pid`; a backend that exited since the list was read (ESRCH) is no error. */
function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
}
