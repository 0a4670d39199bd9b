// CIDR validation done by hand: Node's net.BlockList silently turns 20.0.0.0/4 into 16.0.0.0/4,
// so we check `ip & mask == ip` ourselves (IPv4 and IPv6).
import { isIPv4, isIPv6 } from 'node:net';

/** CidrProblem says why a string is not a network address. */
export type CidrProblem = 'syntax' | 'prefix' | 'hostBits';

/** CidrVerdict is the outcome for one CIDR string; `network` is the correct network when host bits are set. */
export interface CidrVerdict {
  cidr: string;
  ok: boolean;
  problem?: CidrProblem;
  network?: string;
}

function ipv4ToBigInt(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function bigIntToIpv4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
}

function ipv6ToBigInt(ip: string): bigint {
  let text = ip;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToBigInt(v4[1]!);
    text = `${text.slice(0, -v4[1]!.length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

function bigIntToIpv6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((n >> BigInt((7 - i) * 16)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups, as RFC 5952 asks.
  let best = [-1, 0];
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best[1]! && j - i > 1) best = [i, j - i];
    i = j;
  }
  if (best[0]! < 0) return groups.join(':');
  const left = groups.slice(0, best[0]).join(':');
  const right = groups.slice(best[0]! + best[1]!).join(':');
  return `${left}::${right}`;
}

/** checkCidr validates one `ADDRESS/PREFIX` string. */
export function checkCidr(input: string): CidrVerdict {
  const cidr = input.trim();
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(cidr);
  if (!m) return { cidr, ok: false, problem: 'syntax' };
  const [, ip, prefixText] = m as unknown as [string, string, string];
  const prefix = Number(prefixText);
  const v4 = isIPv4(ip);
  if (!v4 && !isIPv6(ip)) return { cidr, ok: false, problem: 'syntax' };
  const bits = v4 ? 32 : 128;
  if (prefix > bits) return { cidr, ok: false, problem: 'prefix' };
  const value = v4 ? ipv4ToBigInt(ip) : ipv6ToBigInt(ip);
  const all = (1n << BigInt(bits)) - 1n;
  const mask = (all << BigInt(bits - prefix)) & all;
  const net = value & mask;
  if (net === value) return { cidr, ok: true };
  return {
    cidr,
    ok: false,
    problem: 'hostBits',
    network: `${v4 ? bigIntToIpv4(net) : bigIntToIpv6(net)}/${prefix}`,
  };
}

/**
 * cidrEntries reads a list of CIDRs from a ConfigMap value: a JSON array of strings or of objects
 * (the article's `[{"name": "10.0.0.0/8", "type": "CIDR"}]`, reading `field`), else text split on
 * commas and whitespace.
 */
export function cidrEntries(value: string, field = 'name'): string[] {
  try {
    const parsed = JSON.parse(value) as unknown;
    if (Array.isArray(parsed)) {
      return parsed.flatMap((item) => {
        if (typeof item === 'string') return [item];
        if (item && typeof item === 'object') {
          const record = item as Record<string, unknown>;
          if (typeof record.type === 'string' && record.type.toUpperCase() !== 'CIDR') return [];
          return typeof record[field] === 'string' ? [record[field] as string] : [];
        }
        return [];
      });
    }
  } catch {
    // not JSON: a plain list
  }
  return value.split(/[\s,]+/).filter(Boolean);
}
