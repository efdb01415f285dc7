/**
 * A small, safe reader for the Python pickles Meltano stores in `plugin_settings.value` (SQLAlchemy
 * `PickleType`, protocol 2–5 in practice). Only plain data opcodes are understood, plus the one object a
 * setting value can be, `decimal.Decimal` (a `kind: decimal` value), read as a number. Anything else
 * that would import or call Python code (GLOBAL, REDUCE, BUILD, ...) is refused, never executed.
 */

export class PickleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PickleError';
  }
}

/** What a supported pickle decodes to: dicts become plain objects, tuples and lists arrays, bytes Uint8Array. */
export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleValue[]
  | { [key: string]: PickleValue };

const MARK = Symbol('mark');
/** What STACK_GLOBAL leaves for `decimal.Decimal`; only a REDUCE with one str argument consumes it. */
const DECIMAL = Symbol('decimal.Decimal');
type StackItem = PickleValue | typeof MARK | typeof DECIMAL;

/** Opcodes that can run code or build arbitrary objects; named so the error says what was refused. */
const REFUSED: Record<number, string> = {
  99: 'GLOBAL',
  147: 'STACK_GLOBAL',
  82: 'REDUCE',
  105: 'INST',
  111: 'OBJ',
  129: 'NEWOBJ',
  146: 'NEWOBJ_EX',
  98: 'BUILD',
  80: 'PERSID',
  81: 'BINPERSID',
  130: 'EXT1',
  131: 'EXT2',
  132: 'EXT4',
};

class Reader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  take(n: number): Uint8Array {
    if (this.pos + n > this.bytes.length) throw new PickleError('Pickle data is truncated');
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  u8(): number {
    return this.take(1)[0] as number;
  }
  view(n: number): DataView {
    const b = this.take(n);
    return new DataView(b.buffer, b.byteOffset, n);
  }
  u32(): number {
    return this.view(4).getUint32(0, true);
  }
  /** 8-byte lengths; anything past 2^53 could not be in memory anyway. */
  u64(): number {
    const n = this.view(8).getBigUint64(0, true);
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new PickleError('Pickle length is too large');
    return Number(n);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Python's LONG1/LONG4 payload: little-endian two's complement; a number when it fits exactly. */
function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] as number);
  if (((bytes[bytes.length - 1] as number) & 0x80) !== 0) n -= 1n << BigInt(bytes.length * 8);
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** Object keys: Python dict keys are usually str; other scalars keep their Python spelling. */
function keyOf(key: PickleValue): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'bigint') return String(key);
  if (typeof key === 'boolean') return key ? 'True' : 'False';
  if (key === null) return 'None';
  throw new PickleError('Unsupported dict key type in pickle');
}

/** defineProperty, not `obj[key] =`, so a `__proto__` key stays an ordinary key. */
function setKey(dict: { [key: string]: PickleValue }, key: PickleValue, value: PickleValue): void {
  Object.defineProperty(dict, keyOf(key), { value, enumerable: true, writable: true, configurable: true });
}

function isDict(value: StackItem | undefined): value is { [key: string]: PickleValue } {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/** Decode one pickle. Throws PickleError for malformed data and for any opcode outside plain data. */
export function unpickle(data: Uint8Array): PickleValue {
  const r = new Reader(data);
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue | typeof DECIMAL>();

  const pop = (): PickleValue => {
    const item = stack.pop();
    if (item === undefined || item === MARK) throw new PickleError('Pickle stack underflow');
    if (item === DECIMAL) throw new PickleError('decimal.Decimal is only supported when called');
    return item;
  };
  const top = (): StackItem => {
    if (stack.length === 0) throw new PickleError('Pickle stack underflow');
    return stack[stack.length - 1] as StackItem;
  };
  const popMark = (): PickleValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw new PickleError('Pickle MARK not found');
    const items = stack.splice(at) as PickleValue[];
    items.shift();
    return items;
  };
  const push = (value: PickleValue | typeof DECIMAL) => stack.push(value);
  const str = (n: number) => {
    try {
      return utf8.decode(r.take(n));
    } catch (error) {
      if (error instanceof PickleError) throw error;
      throw new PickleError('Invalid UTF-8 in pickled str');
    }
  };
  const bytes = (n: number) => Uint8Array.from(r.take(n));
  const get = (index: number) => {
    if (!memo.has(index)) throw new PickleError(`Pickle memo ${index} is not defined`);
    return memo.get(index) as PickleValue | typeof DECIMAL;
  };
  const put = (index: number) => {
    const item = top();
    if (item === MARK) throw new PickleError('Cannot memoize a MARK');
    memo.set(index, item);
  };
  const appendTo = (items: PickleValue[]) => {
    const list = top();
    if (!Array.isArray(list)) throw new PickleError('APPEND target is not a list');
    list.push(...items);
  };
  const setItems = (items: PickleValue[]) => {
    const dict = top();
    if (!isDict(dict) || items.length % 2 !== 0) throw new PickleError('SETITEMS target is not a dict');
    for (let i = 0; i < items.length; i += 2)
      setKey(dict, items[i] as PickleValue, items[i + 1] as PickleValue);
  };

  for (;;) {
    const op = r.u8();
    switch (op) {
      case 0x80: // PROTO
        if (r.u8() > 5) throw new PickleError('Unsupported pickle protocol');
        break;
      case 0x95: // FRAME: only a length hint
        r.u64();
        break;
      case 0x2e: // STOP
        if (stack.length !== 1) throw new PickleError('Pickle did not leave exactly one value');
        return pop();
      case 0x4e: // NONE
        push(null);
        break;
      case 0x88: // NEWTRUE
        push(true);
        break;
      case 0x89: // NEWFALSE
        push(false);
        break;
      case 0x4a: // BININT
        push(r.view(4).getInt32(0, true));
        break;
      case 0x4b: // BININT1
        push(r.u8());
        break;
      case 0x4d: // BININT2
        push(r.view(2).getUint16(0, true));
        break;
      case 0x8a: // LONG1
        push(decodeLong(r.take(r.u8())));
        break;
      case 0x8b: // LONG4
        push(decodeLong(r.take(r.u32())));
        break;
      case 0x47: // BINFLOAT (big-endian, unlike everything else)
        push(r.view(8).getFloat64(0, false));
        break;
      case 0x8c: // SHORT_BINUNICODE
        push(str(r.u8()));
        break;
      case 0x58: // BINUNICODE
        push(str(r.u32()));
        break;
      case 0x8d: // BINUNICODE8
        push(str(r.u64()));
        break;
      case 0x43: // SHORT_BINBYTES
        push(bytes(r.u8()));
        break;
      case 0x42: // BINBYTES
        push(bytes(r.u32()));
        break;
      case 0x8e: // BINBYTES8
        push(bytes(r.u64()));
        break;
      case 0x5d: // EMPTY_LIST
        push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        push([]);
        break;
      case 0x7d: // EMPTY_DICT
        push({});
        break;
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x61: // APPEND
        appendTo([pop()]);
        break;
      case 0x65: // APPENDS
        appendTo(popMark());
        break;
      case 0x73: {
        // SETITEM
        const value = pop();
        setItems([pop(), value]);
        break;
      }
      case 0x75: // SETITEMS
        setItems(popMark());
        break;
      case 0x74: // TUPLE
      case 0x6c: // LIST
        push(popMark());
        break;
      case 0x85: // TUPLE1
        push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        push([pop(), b, c]);
        break;
      }
      case 0x64: {
        // DICT
        const dict: { [key: string]: PickleValue } = {};
        const items = popMark();
        for (let i = 0; i + 1 < items.length; i += 2)
          setKey(dict, items[i] as PickleValue, items[i + 1] as PickleValue);
        push(dict);
        break;
      }
      case 0x94: // MEMOIZE
        put(memo.size);
        break;
      case 0x71: // BINPUT
        put(r.u8());
        break;
      case 0x72: // LONG_BINPUT
        put(r.u32());
        break;
      case 0x68: // BINGET
        push(get(r.u8()));
        break;
      case 0x6a: // LONG_BINGET
        push(get(r.u32()));
        break;
      case 0x30: // POP
        stack.pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        if (pop() !== 'decimal' || name !== 'Decimal') throw refused(op);
        push(DECIMAL);
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        if (
          stack.pop() !== DECIMAL ||
          !Array.isArray(args) ||
          typeof args[0] !== 'string' ||
          args.length !== 1
        )
          throw refused(op);
        push(Number(args[0]));
        break;
      }
      default:
        throw refused(op);
    }
  }
}

function refused(op: number): PickleError {
  const name = REFUSED[op];
  return new PickleError(
    name
      ? `Refusing pickle opcode ${name}: it would run Python code`
      : `Unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')}`,
  );
}
