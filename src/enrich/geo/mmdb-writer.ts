import { parsePrefix } from '../../domain/ip.js';

/**
 * A tiny MaxMind DB (format 2.0) writer, so that tests, the demo data and the synthetic traceback
 * study world can build small databases on documentation addresses instead of shipping real ones.
 *
 * Layout: binary search tree (node_count nodes of two records each), 16 zero bytes, data section,
 * "\xAB\xCD\xEFMaxMind.com", metadata map. Records are deduplicated by content; no pointers are
 * written. Overlapping prefixes resolve as a reader expects: the longest prefix wins.
 */
export interface MmdbEntry {
  /** "192.0.2.0/24", "2001:db8::/32" or a bare address. IPv4 prefixes in an IPv6 tree go under ::/96. */
  readonly prefix: string;
  readonly record: Record<string, unknown>;
}

export interface MmdbWriterOptions {
  /** 6 (the default) or 4; an IPv4 tree rejects IPv6 prefixes. */
  readonly ipVersion?: 4 | 6;
  readonly recordSize?: 24 | 28 | 32;
  readonly databaseType?: string;
  readonly languages?: readonly string[];
  readonly description?: Readonly<Record<string, string>>;
  /** Seconds since 1970; fixed by default so the output is reproducible. */
  readonly buildEpoch?: number;
}

interface TreeNode {
  left: TreeNode | number | null; // number = index into the data records
  right: TreeNode | number | null;
}

/** Build a MaxMind DB file in memory. Throws on a bad prefix or a value it cannot encode. */
export function writeMmdb(entries: readonly MmdbEntry[], opts: MmdbWriterOptions = {}): Buffer {
  const ipVersion = opts.ipVersion ?? 6;
  const recordSize = opts.recordSize ?? 28;
  const bitsOf = (e: MmdbEntry): { bits: number[]; length: number } => {
    const r = parsePrefix(e.prefix);
    if (!r.ok) throw new Error(r.reason);
    const p = r.prefix;
    if (p.version === 4) {
      const bits = Array.from({ length: p.length }, (_, i) => (p.v4 >>> (31 - i)) & 1);
      return ipVersion === 4 ? { bits, length: p.length } : { bits: [...new Array<number>(96).fill(0), ...bits], length: p.length + 96 };
    }
    if (ipVersion === 4) throw new Error(`IPv6 prefix ${p.text} in an IPv4 database`);
    const bits = Array.from({ length: p.length }, (_, i) => (p.words[i >> 5]! >>> (31 - (i & 31))) & 1);
    return { bits, length: p.length };
  };

  // Shorter prefixes first, so that a longer one splits the leaf it lands in and wins.
  const prepared = entries.map((e, i) => ({ ...bitsOf(e), record: e.record, i })).sort((a, b) => a.length - b.length || a.i - b.i);
  const dataIndex = new Map<string, number>();
  const dataBlobs: Buffer[] = [];
  const root: TreeNode = { left: null, right: null };
  for (const e of prepared) {
    const key = JSON.stringify(e.record);
    let di = dataIndex.get(key);
    if (di === undefined) {
      di = dataBlobs.length;
      dataIndex.set(key, di);
      dataBlobs.push(encode(e.record));
    }
    if (e.length === 0) throw new Error('a /0 prefix cannot be stored: the root must be a node');
    let node = root;
    for (let depth = 0; depth < e.length - 1; depth++) {
      const side = e.bits[depth] === 1 ? 'right' : 'left';
      const child = node[side];
      if (child === null || typeof child === 'number') {
        const fresh: TreeNode = { left: child, right: child };
        node[side] = fresh;
        node = fresh;
      } else node = child;
    }
    const last = e.bits[e.length - 1] === 1 ? 'right' : 'left';
    node[last] = di;
  }

  const order: TreeNode[] = [];
  const number = new Map<TreeNode, number>();
  const stack: TreeNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    number.set(n, order.length);
    order.push(n);
    if (n.right !== null && typeof n.right === 'object') stack.push(n.right);
    if (n.left !== null && typeof n.left === 'object') stack.push(n.left);
  }
  const nodeCount = order.length;
  const dataOffsets: number[] = [];
  let off = 0;
  for (const b of dataBlobs) {
    dataOffsets.push(off);
    off += b.length;
  }
  const recordValue = (r: TreeNode | number | null): number => {
    if (r === null) return nodeCount;
    if (typeof r === 'number') return nodeCount + 16 + dataOffsets[r]!;
    return number.get(r)!;
  };
  const nodeBytes = recordSize / 4;
  const tree = Buffer.alloc(nodeCount * nodeBytes);
  const max = 2 ** recordSize;
  order.forEach((n, i) => {
    const l = recordValue(n.left);
    const r = recordValue(n.right);
    if (l >= max || r >= max) throw new Error(`record value too large for ${recordSize}-bit records`);
    const o = i * nodeBytes;
    if (recordSize === 24) {
      tree.writeUIntBE(l, o, 3);
      tree.writeUIntBE(r, o + 3, 3);
    } else if (recordSize === 28) {
      tree.writeUIntBE(l & 0xffffff, o, 3);
      tree[o + 3] = ((l >>> 24) << 4) | (r >>> 24);
      tree.writeUIntBE(r & 0xffffff, o + 4, 3);
    } else {
      tree.writeUInt32BE(l, o);
      tree.writeUInt32BE(r, o + 4);
    }
  });

  const metadata = encode({
    node_count: { $type: 'uint32', value: nodeCount },
    record_size: { $type: 'uint16', value: recordSize },
    ip_version: { $type: 'uint16', value: ipVersion },
    database_type: opts.databaseType ?? 'cleancenter-test',
    languages: [...(opts.languages ?? ['en'])],
    binary_format_major_version: { $type: 'uint16', value: 2 },
    binary_format_minor_version: { $type: 'uint16', value: 0 },
    build_epoch: { $type: 'uint64', value: BigInt(opts.buildEpoch ?? 1_700_000_000) },
    description: { ...(opts.description ?? { en: 'cleancenter synthetic test database' }) },
  });
  return Buffer.concat([tree, Buffer.alloc(16), ...dataBlobs, METADATA_MARKER, metadata]);
}

const METADATA_MARKER = Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com', 'latin1')]);

const T = { utf8: 2, double: 3, uint16: 5, uint32: 6, map: 7, int32: 8, uint64: 9, array: 11, boolean: 14 } as const;

/** Control byte(s) for a type and a payload size (or entry count), per the spec's size rules. */
function control(type: number, size: number): Buffer {
  const head: number[] = [];
  let sizeBits: number;
  const ext: number[] = [];
  if (size < 29) sizeBits = size;
  else if (size < 285) {
    sizeBits = 29;
    ext.push(size - 29);
  } else if (size < 65_821) {
    sizeBits = 30;
    ext.push((size - 285) >> 8, (size - 285) & 255);
  } else if (size < 16_843_037) {
    sizeBits = 31;
    const s = size - 65_821;
    ext.push((s >> 16) & 255, (s >> 8) & 255, s & 255);
  } else throw new Error(`value too large for the MaxMind DB format (${size})`);
  if (type <= 7) head.push((type << 5) | sizeBits);
  else head.push(sizeBits, type - 7);
  return Buffer.from([...head, ...ext]);
}

function uintBytes(value: bigint): Buffer {
  const bytes: number[] = [];
  for (let v = value; v > 0n; v >>= 8n) bytes.unshift(Number(v & 255n));
  return Buffer.from(bytes);
}

/**
 * Encode a value: string → utf8_string, non-negative integer < 2³² → uint32, negative integer →
 * int32, other number → double, bigint → uint64, boolean, array, plain object → map.
 * { $type: 'uint16' | 'uint32' | 'uint64' | 'int32' | 'double', value } forces a type.
 */
function encode(value: unknown): Buffer {
  if (typeof value === 'string') {
    const b = Buffer.from(value, 'utf8');
    return Buffer.concat([control(T.utf8, b.length), b]);
  }
  if (typeof value === 'boolean') return control(T.boolean, value ? 1 : 0);
  if (typeof value === 'bigint') return encodeTyped('uint64', value);
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value < 2 ** 32) return encodeTyped('uint32', value);
    if (Number.isInteger(value) && value < 0 && value >= -(2 ** 31)) return encodeTyped('int32', value);
    return encodeTyped('double', value);
  }
  if (Array.isArray(value)) return Buffer.concat([control(T.array, value.length), ...value.map(encode)]);
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.$type === 'string') return encodeTyped(o.$type, o.value);
    const parts = Object.entries(o).flatMap(([k, v]) => [encode(k), encode(v)]);
    return Buffer.concat([control(T.map, parts.length / 2), ...parts]);
  }
  throw new Error(`cannot encode ${value === null ? 'null' : typeof value} in a MaxMind DB`);
}

function encodeTyped(type: string, value: unknown): Buffer {
  switch (type) {
    case 'uint16':
    case 'uint32':
    case 'uint64': {
      const b = uintBytes(BigInt(value as number | bigint));
      const limit = type === 'uint16' ? 2 : type === 'uint32' ? 4 : 8;
      if (b.length > limit || (value as number) < 0) throw new Error(`${String(value)} does not fit ${type}`);
      return Buffer.concat([control(T[type], b.length), b]);
    }
    case 'int32': {
      const b = Buffer.alloc(4);
      b.writeInt32BE(value as number);
      return Buffer.concat([control(T.int32, 4), b]);
    }
    case 'double': {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(value as number);
      return Buffer.concat([control(T.double, 8), b]);
    }
    default:
      throw new Error(`unknown MaxMind DB type ${type}`);
  }
}
