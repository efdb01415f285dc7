import type { PyDict, PyValue } from './python-value.js';

/**
 * `pickle.dumps(value, protocol=5)` byte for byte as CPython's C pickler writes it, which is what
 * SQLAlchemy's PickleType stores in `plugin_settings.value`: 64 KiB frames, MEMOIZE after every str,
 * list, dict and tuple, batches of 1000 items, and BINGET for objects Python would share. Sharing is
 * modelled on what Meltano pickles, values it got from `json.loads`: equal dict keys are one object
 * (the decoder memoizes keys), as are all empty and all one-Latin-1-character strings (CPython caches
 * those); any other two strings are distinct objects.
 */
export function pickleDumps(value: PyValue): Uint8Array {
  const pickler = new Pickler();
  pickler.save(value);
  return pickler.finish();
}

const FRAME_SIZE_TARGET = 64 * 1024;
const FRAME_SIZE_MIN = 4;
const BATCH_SIZE = 1000;

const OP = {
  PROTO: 0x80,
  FRAME: 0x95,
  STOP: 0x2e,
  NONE: 0x4e,
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  BININT: 0x4a,
  BININT1: 0x4b,
  BININT2: 0x4d,
  LONG1: 0x8a,
  LONG4: 0x8b,
  BINFLOAT: 0x47,
  SHORT_BINUNICODE: 0x8c,
  BINUNICODE: 0x58,
  EMPTY_LIST: 0x5d,
  EMPTY_DICT: 0x7d,
  MARK: 0x28,
  APPEND: 0x61,
  APPENDS: 0x65,
  SETITEM: 0x73,
  SETITEMS: 0x75,
  TUPLE1: 0x85,
  STACK_GLOBAL: 0x93,
  REDUCE: 0x52,
  MEMOIZE: 0x94,
  BINGET: 0x68,
  LONG_BINGET: 0x6a,
} as const;

class ByteSink {
  private chunks: Uint8Array[] = [];
  length = 0;

  push(bytes: Uint8Array | number[]): void {
    const chunk = bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes);
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  take(): Uint8Array {
    const out = Buffer.concat(this.chunks);
    this.chunks = [];
    this.length = 0;
    return Uint8Array.from(out);
  }
}

class Pickler {
  private readonly out = new ByteSink();
  private readonly frame = new ByteSink();
  private memoSize = 0;
  /** Memo indexes of the objects Python would share: cached short strings and dict keys. */
  private readonly shared = new Map<string, number>();
  private readonly keys = new Map<string, number>();
  private decimalClass: number | null = null;

  constructor() {
    this.out.push([OP.PROTO, 5]);
  }

  finish(): Uint8Array {
    this.frame.push([OP.STOP]);
    this.commitFrame(true);
    return this.out.take();
  }

  save(value: PyValue, role: 'value' | 'key' = 'value'): void {
    this.commitFrame(false);
    if (value === null) this.write([OP.NONE]);
    else if (typeof value === 'boolean') this.write([value ? OP.NEWTRUE : OP.NEWFALSE]);
    else if (typeof value === 'string') this.saveStr(value, role);
    else if (Array.isArray(value)) this.saveList(value);
    else if (value.py === 'int') this.saveInt(value.value);
    else if (value.py === 'float') this.saveFloat(value.value);
    else if (value.py === 'decimal') this.saveDecimal(value.text);
    else this.saveDict(value);
  }

  private write(bytes: Uint8Array | number[]): void {
    this.frame.push(bytes);
  }

  /** Python's `_Framer.commit_frame`: a frame is flushed once it reaches 64 KiB; under 4 bytes it has no header. */
  private commitFrame(force: boolean): void {
    if (this.frame.length === 0 || (!force && this.frame.length < FRAME_SIZE_TARGET)) return;
    const data = this.frame.take();
    if (data.length >= FRAME_SIZE_MIN) this.out.push(header(OP.FRAME, 8, data.length));
    this.out.push(data);
  }

  private memoize(): number {
    this.write([OP.MEMOIZE]);
    return this.memoSize++;
  }

  private get(index: number): void {
    this.write(index < 256 ? [OP.BINGET, index] : header(OP.LONG_BINGET, 4, index));
  }

  private saveStr(text: string, role: 'value' | 'key'): void {
    const cached = text.length === 0 || (text.length === 1 && text.charCodeAt(0) < 256);
    const memo = cached ? this.shared : role === 'key' ? this.keys : null;
    const known = memo?.get(text);
    if (known !== undefined) {
      this.get(known);
      return;
    }
    const encoded = utf8SurrogatePass(text);
    if (encoded.length <= 0xff) {
      this.write([OP.SHORT_BINUNICODE, encoded.length]);
      this.write(encoded);
    } else if (encoded.length < FRAME_SIZE_TARGET) {
      this.write(header(OP.BINUNICODE, 4, encoded.length));
      this.write(encoded);
    } else {
      // Large payloads bypass framing: the current frame is flushed and the bytes follow unframed.
      this.commitFrame(true);
      this.out.push(header(OP.BINUNICODE, 4, encoded.length));
      this.out.push(encoded);
    }
    const index = this.memoize();
    memo?.set(text, index);
  }

  private saveInt(value: bigint): void {
    if (value >= 0n && value <= 0xffn) {
      this.write([OP.BININT1, Number(value)]);
    } else if (value >= 0n && value <= 0xffffn) {
      this.write(header(OP.BININT2, 2, Number(value)));
    } else if (value >= -0x80000000n && value <= 0x7fffffffn) {
      const bytes = new Uint8Array(5);
      bytes[0] = OP.BININT;
      new DataView(bytes.buffer).setInt32(1, Number(value), true);
      this.write(bytes);
    } else {
      const encoded = encodeLong(value);
      this.write(encoded.length < 256 ? [OP.LONG1, encoded.length] : header(OP.LONG4, 4, encoded.length));
      this.write(encoded);
    }
  }

  /** BINFLOAT, big-endian unlike every other number in a pickle. */
  private saveFloat(value: number): void {
    const bytes = new Uint8Array(9);
    bytes[0] = OP.BINFLOAT;
    new DataView(bytes.buffer).setFloat64(1, value, false);
    this.write(bytes);
  }

  /** The C pickler's `batch_list_exact`: one item is APPEND, more go in MARK … APPENDS batches. */
  private saveList(list: PyValue[]): void {
    this.write([OP.EMPTY_LIST]);
    this.memoize();
    if (list.length === 0) return;
    if (list.length === 1) {
      this.save(list[0] as PyValue);
      this.write([OP.APPEND]);
      return;
    }
    for (let start = 0; start < list.length; start += BATCH_SIZE) {
      this.write([OP.MARK]);
      for (const item of list.slice(start, start + BATCH_SIZE)) this.save(item);
      this.write([OP.APPENDS]);
    }
  }

  /** `batch_dict_exact`: like lists, except a full last batch is followed by an empty MARK SETITEMS. */
  private saveDict(dict: PyDict): void {
    this.write([OP.EMPTY_DICT]);
    this.memoize();
    const { entries } = dict;
    if (entries.length === 0) return;
    if (entries.length === 1) {
      const [key, item] = entries[0] as [string, PyValue];
      this.save(key, 'key');
      this.save(item);
      this.write([OP.SETITEM]);
      return;
    }
    let start = 0;
    let batch: [string, PyValue][];
    do {
      batch = entries.slice(start, start + BATCH_SIZE);
      this.write([OP.MARK]);
      for (const [key, item] of batch) {
        this.save(key, 'key');
        this.save(item);
      }
      this.write([OP.SETITEMS]);
      start += BATCH_SIZE;
    } while (batch.length === BATCH_SIZE);
  }

  /** `Decimal.__reduce__`: `(decimal.Decimal, (str(self),))`, the class memoized once. */
  private saveDecimal(text: string): void {
    if (this.decimalClass === null) {
      this.save('decimal');
      this.save('Decimal');
      this.write([OP.STACK_GLOBAL]);
      this.decimalClass = this.memoize();
    } else {
      this.get(this.decimalClass);
    }
    this.save(text);
    this.write([OP.TUPLE1]);
    this.memoize();
    this.write([OP.REDUCE]);
    this.memoize();
  }
}

function header(op: number, size: 2 | 4 | 8, value: number): Uint8Array {
  const bytes = new Uint8Array(1 + size);
  bytes[0] = op;
  const view = new DataView(bytes.buffer);
  if (size === 2) view.setUint16(1, value, true);
  else if (size === 4) view.setUint32(1, value, true);
  else view.setBigUint64(1, BigInt(value), true);
  return bytes;
}

/** `pickle.encode_long`: minimal little-endian two's complement. */
function encodeLong(value: bigint): Uint8Array {
  const bitLength = (value < 0n ? -value - 1n : value).toString(2).length;
  const size = (bitLength >> 3) + 1;
  let n = BigInt.asUintN(size * 8, value);
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    bytes[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  // Python drops a redundant 0xff sign byte.
  if (value < 0n && size > 1 && bytes[size - 1] === 0xff && ((bytes[size - 2] as number) & 0x80) !== 0) {
    return bytes.subarray(0, size - 1);
  }
  return bytes;
}

/** UTF-8 with `surrogatepass`: a lone surrogate (possible in a JSON `\ud800`) is encoded, not replaced. */
function utf8SurrogatePass(text: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
      i++;
    }
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) {
      bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    } else {
      bytes.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 0x3f),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      );
    }
  }
  return Uint8Array.from(bytes);
}
