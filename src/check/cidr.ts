// CIDR validation that does not forgive: `20.0.0.0/4` has host bits set (its /4 network is
// 16.0.0.0/4). Node's net.BlockList silently masks such input, so we compute `ip & mask == ip` here.

/** CidrProblem says what is wrong with one CIDR, and the network it probably meant. */
export type CidrProblem =
  | { kind: 'invalid'; reason: string; part: 'address' | 'prefix' }
  | { kind: 'host-bits'; network: string }
  | undefined;

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let out = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255 || (p.length > 1 && p.startsWith('0'))) return undefined;
    out = (out << 8n) | BigInt(p);
  }
  return out;
}

function parseIPv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || (text.match(/::/g) ?? []).length > 1) return undefined;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? h.length !== 8 : missing < 1) return undefined;
  const groups = [...h, ...Array(tail === undefined ? 0 : missing).fill('0'), ...t];
  let out = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    out = (out << 16n) | BigInt(`0x${g}`);
  }
  return out;
}

function formatIPv4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
}

function formatIPv6(n: bigint): string {
  const groups = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((n >> s) & 0xffffn).toString(16));
  return groups
    .join(':')
    .replace(/(^|:)0(:0)+(:|$)/, '::')
    .replace(/:{3,}/, '::');
}

/** checkCidr validates one `address/prefix`. */
export function checkCidr(cidr: string): CidrProblem {
  const slash = cidr.indexOf('/');
  if (slash < 0) return { kind: 'invalid', reason: 'missing /prefix', part: 'prefix' };
  const addr = cidr.slice(0, slash);
  const prefixText = cidr.slice(slash + 1);
  const v6 = addr.includes(':');
  const bits = v6 ? 128 : 32;
  const ip = v6 ? parseIPv6(addr) : parseIPv4(addr);
  if (ip === undefined)
    return { kind: 'invalid', reason: `"${addr}" is not an IP${v6 ? 'v6' : 'v4'} address`, part: 'address' };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits)
    return { kind: 'invalid', reason: `prefix must be 0–${bits}`, part: 'prefix' };
  const prefix = BigInt(prefixText);
  const all = (1n << BigInt(bits)) - 1n;
  const mask = (all << (BigInt(bits) - prefix)) & all;
  if ((ip & mask) === ip) return undefined;
  const network = ip & mask;
  return { kind: 'host-bits', network: `${v6 ? formatIPv6(network) : formatIPv4(network)}/${prefixText}` };
}

const ipv4Cidr = /(?<![\w.:])(\d{1,3}(?:\.\d{1,3}){3}\/\d{1,3})(?![\w.])/g;
const ipv6Cidr = /(?<![\w.:])([0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}\/\d{1,3})(?![\w.])/g;

/** findCidrs lists CIDR-looking tokens in a text (plain values, JSON, YAML, comma lists). */
export function findCidrs(text: string): string[] {
  return [...text.matchAll(ipv4Cidr), ...text.matchAll(ipv6Cidr)].map((m) => m[1]!);
}
