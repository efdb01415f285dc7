import net from 'node:net';
import os from 'node:os';

/** `::ffff:127.0.0.1` or `::ffff:7f00:1` (IPv4-mapped, as sockets and URL print it) → `127.0.0.1`. */
function unmapped(address: string): string {
  const lower = address.toLowerCase();
  if (lower.startsWith('::ffff:') && net.isIPv4(lower.slice(7))) return lower.slice(7);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return lower;
  const [high, low] = [Number.parseInt(hex[1] ?? '0', 16), Number.parseInt(hex[2] ?? '0', 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Loopback by name or address: `localhost`, `*.localhost` (RFC 6761), 127.0.0.0/8, `::1`. */
export function isLoopbackName(hostname: string): boolean {
  const h = unmapped(hostname);
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  // Hosts come through parseHost (WHATWG URL), which prints IPv4 dotted and IPv6 compressed.
  return (net.isIPv4(h) && h.startsWith('127.')) || h === '::1';
}

/**
 * This machine's own names and addresses: its host name (and the host name's first label) and the
 * address of every network interface. Read again when a name is not found, so an address that DHCP
 * handed out after start is still recognised.
 */
export class LocalHosts {
  private names = new Set<string>();
  private readAt = 0;

  constructor(private readonly rereadMs = 10_000) {
    this.read();
  }

  has(hostname: string): boolean {
    const h = unmapped(hostname);
    if (this.names.has(h)) return true;
    // A miss (rare: a foreign Host) may be a new interface address; re-read at most every rereadMs.
    if (Date.now() - this.readAt < this.rereadMs) return false;
    this.read();
    return this.names.has(h);
  }

  private read(): void {
    const names = new Set<string>();
    const hostname = os.hostname().toLowerCase().replace(/\.$/, '');
    if (hostname !== '') {
      names.add(hostname);
      names.add(hostname.split('.')[0] ?? hostname);
    }
    for (const list of Object.values(os.networkInterfaces())) {
      for (const info of list ?? []) names.add(unmapped(info.address.replace(/%.*$/, '')));
    }
    this.names = names;
    this.readAt = Date.now();
  }
}
