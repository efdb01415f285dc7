import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `KEY='value'`, as python-dotenv's set_key writes it (single quotes; `\` and `'` escaped). */
function line(key: string, value: string): string {
  return `${key}='${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * Sets keys in a `.env` file: an existing `KEY=` line is replaced in place, a new key is appended, every
 * other line stays byte for byte. Written to a temporary file and renamed over the old one, so a crash
 * never leaves a half-written `.env`; a new file gets mode 0600 (it holds secrets).
 */
export async function setDotenvValues(file: string, values: Record<string, string>): Promise<void> {
  let text = '';
  let mode = 0o600;
  try {
    text = await readFile(file, 'utf8');
    mode = (await stat(file)).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const [key, value] of Object.entries(values)) {
    const existing = new RegExp(
      `^([^\\S\\r\\n]*(?:export[^\\S\\r\\n]+)?)${escapeRegExp(key)}[^\\S\\r\\n]*=.*$`,
      'm',
    );
    if (existing.test(text)) {
      text = text.replace(existing, (_m, lead: string) => `${lead}${line(key, value)}`);
    } else {
      if (text !== '' && !text.endsWith('\n')) text += '\n';
      text += `${line(key, value)}\n`;
    }
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
