import { describe, expect, it } from 'vitest';
import { defaultDatabaseUri, parseDatabaseUri } from '../../src/db/database-uri.js';
import { InvalidDatabaseUriError } from '../../src/errors.js';

const ctx = { projectRoot: '/srv/project', cwd: '/home/me/work', sysDir: '/srv/project/.meltano' };
const parse = (uri: string) => parseDatabaseUri(uri, ctx);

describe('parseDatabaseUri: SQLite', () => {
  it('resolves sqlite:///relative against the working directory, as SQLAlchemy does', () => {
    expect(parse('sqlite:///.meltano/meltano.db')).toEqual({
      kind: 'sqlite',
      file: '/home/me/work/.meltano/meltano.db',
      display: 'sqlite:////home/me/work/.meltano/meltano.db',
    });
    expect(parse('sqlite:///../other.db')).toMatchObject({ file: '/home/me/other.db' });
  });

  it('takes sqlite:////absolute as an absolute path', () => {
    expect(parse('sqlite:////var/lib/meltano/meltano.db')).toEqual({
      kind: 'sqlite',
      file: '/var/lib/meltano/meltano.db',
      display: 'sqlite:////var/lib/meltano/meltano.db',
    });
    expect(parse('sqlite+pysqlite:////var/m.db')).toMatchObject({ kind: 'sqlite', file: '/var/m.db' });
  });

  it('accepts the default URI and expands Meltano directory variables the caller left in', () => {
    expect(defaultDatabaseUri('/srv/project/.meltano')).toBe('sqlite:////srv/project/.meltano/meltano.db');
    expect(parse(defaultDatabaseUri('/srv/project/.meltano'))).toMatchObject({
      file: '/srv/project/.meltano/meltano.db',
    });
    expect(parse('sqlite:///$MELTANO_SYS_DIR_ROOT/meltano.db')).toMatchObject({
      file: '/srv/project/.meltano/meltano.db',
    });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR}, as meltano.yml may hold it
    expect(parse('sqlite:///${MELTANO_PROJECT_ROOT}/sys/m.db')).toMatchObject({
      file: '/srv/project/sys/m.db',
    });
  });

  it('ignores SQLite query parameters and keeps unusual characters of the path', () => {
    expect(parse('sqlite:////data/my db%20x.db?timeout=20')).toMatchObject({ file: '/data/my db%20x.db' });
  });

  it('rejects in-memory databases and hosts', () => {
    for (const uri of ['sqlite://', 'sqlite:///:memory:', 'sqlite:///', 'sqlite://localhost/m.db']) {
      expect(() => parse(uri)).toThrow(InvalidDatabaseUriError);
    }
    expect(() => parse('sqlite://')).toThrow(/in-memory/);
  });
});

describe('parseDatabaseUri: PostgreSQL', () => {
  it('accepts postgresql:// with and without a driver and masks the password for display', () => {
    for (const scheme of ['postgresql', 'postgresql+psycopg', 'postgresql+psycopg2']) {
      expect(parse(`${scheme}://meltano:meltano@localhost:5432/meltano_v4`)).toEqual({
        kind: 'postgres',
        connectionString: 'postgresql://meltano:meltano@localhost:5432/meltano_v4',
        searchPath: null,
        display: `${scheme}://meltano:****@localhost:5432/meltano_v4`,
      });
    }
  });

  it('reads the schema from ?options=-csearch_path%3D<schema> and keeps the option for the server', () => {
    const target = parse('postgresql+psycopg://u:p@db.internal/meltano?options=-csearch_path%3Dmeltano_sys');
    expect(target).toEqual({
      kind: 'postgres',
      connectionString: 'postgresql://u:p@db.internal/meltano?options=-csearch_path%3Dmeltano_sys',
      searchPath: 'meltano_sys',
      display: 'postgresql+psycopg://u:****@db.internal/meltano?options=-csearch_path%3Dmeltano_sys',
    });
    expect(parse('postgresql://h/db?options=-c%20search_path%3Da,b&sslmode=require')).toMatchObject({
      searchPath: 'a,b',
      connectionString: 'postgresql://h/db?options=-c+search_path%3Da%2Cb&sslmode=require',
    });
  });

  it('re-encodes passwords with characters SQLAlchemy allows raw', () => {
    const target = parse('postgresql://me:p@ss/w:rd?#@host:6543/db');
    // SQLAlchemy: the password runs to the first '@'. Everything after it is host and database.
    expect(target).toMatchObject({
      kind: 'postgres',
      display: 'postgresql://me:****@ss/w:rd?#@host:6543/db',
    });
    const encoded = parse('postgresql://me:p%40ss%2Fw%3Ard@host:6543/db');
    expect(encoded).toEqual({
      kind: 'postgres',
      connectionString: 'postgresql://me:p%40ss%2Fw%3Ard@host:6543/db',
      searchPath: null,
      display: 'postgresql://me:****@host:6543/db',
    });
  });

  it('handles URIs without credentials, port or database, and IPv6 hosts', () => {
    expect(parse('postgresql://localhost')).toMatchObject({
      connectionString: 'postgresql://localhost',
      display: 'postgresql://localhost',
    });
    expect(parse('postgresql://u@[::1]:5433/m')).toMatchObject({
      connectionString: 'postgresql://u@[::1]:5433/m',
    });
    expect(parse('postgresql:///meltano?host=/var/run/postgresql')).toMatchObject({
      connectionString: 'postgresql:///meltano?host=%2Fvar%2Frun%2Fpostgresql',
    });
  });

  it('rejects postgres:// like SQLAlchemy does, saying to write postgresql://', () => {
    expect(() => parse('postgres://u:secret@h/db')).toThrow(InvalidDatabaseUriError);
    expect(() => parse('postgres://u:secret@h/db')).toThrow(/postgresql:\/\//);
  });

  it('rejects bad ports', () => {
    expect(() => parse('postgresql://h:99999/db')).toThrow(/Invalid port/);
    expect(() => parse('postgresql://u:secret@h:abc/db')).toThrow(InvalidDatabaseUriError);
  });
});

describe('parseDatabaseUri: anything else', () => {
  it('rejects other schemes, non-URIs and empty strings without echoing passwords', () => {
    for (const uri of [
      '',
      '   ',
      'meltano.db',
      '/abs/meltano.db',
      'mysql://u:secret@h/db',
      'mssql+pymssql://u:secret@h/db',
    ]) {
      expect(() => parse(uri)).toThrow(InvalidDatabaseUriError);
    }
    expect(() => parse('mysql://u:secret@h/db')).toThrow(/'mysql:\/\/' is not supported.*u:\*\*\*\*@h/);
    try {
      parse('mssql+pymssql://u:secret@h/db');
    } catch (err) {
      expect((err as Error).message).not.toContain('secret');
      expect((err as InvalidDatabaseUriError).code).toBe('invalid_database_uri');
    }
  });
});
