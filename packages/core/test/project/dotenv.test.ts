// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` here is env-var syntax under test, not a template.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDotenv, readDotenv } from '../../src/project/dotenv.js';
import { withTempCopy } from './fixture-paths.js';

const env = { FROM_PROCESS: 'proc', A: 'from-process' };

/** Expectations were checked against python-dotenv 1.2 `dotenv_values` unless a comment says otherwise. */
describe('parseDotenv', () => {
  it('reads comments, export prefixes and surrounding whitespace', () => {
    expect(parseDotenv('# comment\nA=1\nexport B=two words\nC = spaced  \n', env)).toEqual({
      A: '1',
      B: 'two words',
      C: 'spaced',
    });
  });

  it('strips ` #` comments from unquoted values only', () => {
    expect(parseDotenv('D=x #c\nE=x#c\nF=\'q\' # after\nG="q"#after\nH=  # only\n', env)).toEqual({
      D: 'x',
      E: 'x#c',
      F: 'q',
      G: 'q',
      // python-dotenv's current parser (after 1.2.2) treats a value that is only a comment as empty.
      H: '',
    });
  });

  it('expands only ${VAR} in single quotes and decodes escapes in double quotes', () => {
    const parsed = parseDotenv("I='it\\'s $X ${A}'\nJ=\"a\\tb\\\\c\\\"d\\n\"\nK='a\\nb'\n", env);
    // python-dotenv 1.x (what Meltano uses) interpolates ${A} inside single quotes too.
    expect(parsed.I).toBe("it's $X from-process");
    expect(parsed.J).toBe('a\tb\\c"d\n');
    expect(parsed.K).toBe('a\\nb');
  });

  it('interpolates ${VAR} from earlier keys first, then the process env, with :- defaults', () => {
    expect(
      parseDotenv('A=1\nB=${A}-${FROM_PROCESS}-${NOPE:-dflt}-${NOPE}\nC="${B}!"\nA=2\nD=${A}\nE=$A\n', env),
    ).toEqual({ A: '2', B: '1-proc-dflt-', C: '1-proc-dflt-!', D: '2', E: '$A' });
    expect(parseDotenv('X=${A}', env)).toEqual({ X: 'from-process' });
    expect(parseDotenv('BARE\nY=${BARE}', { BARE: 'shadowed' })).toEqual({ Y: '' });
  });

  it('reads quoted values over several lines and CRLF files', () => {
    expect(parseDotenv('M="line1\nline2"\nN=\'x\ny\'\nO=after\n', env)).toEqual({
      M: 'line1\nline2',
      N: 'x\ny',
      O: 'after',
    });
    expect(parseDotenv('P=1\r\nQ="two"\r\nR=\'three\'\r\nS=last', env)).toEqual({
      P: '1',
      Q: 'two',
      R: 'three',
      S: 'last',
    });
  });

  it('skips unparsable statements and keys without a value', () => {
    expect(parseDotenv("good=1\n=bad\nS=\"unterminated\nT=ok\n'U V'=quoted key\nW\n", env)).toEqual({
      good: '1',
      T: 'ok',
      'U V': 'quoted key',
    });
    expect(parseDotenv('', env)).toEqual({});
    expect(parseDotenv('\uFEFFA=1', env)).toEqual({ A: '1' });
  });
});

describe('readDotenv', () => {
  it('reads a file and returns {} when it is missing', async () => {
    await withTempCopy(null, async (dir) => {
      expect(await readDotenv(join(dir, '.env'))).toEqual({});
      await writeFile(join(dir, '.env'), "TAP_X_TOKEN='t0k'\n");
      expect(await readDotenv(join(dir, '.env'))).toEqual({ TAP_X_TOKEN: 't0k' });
    });
  });
});
