// The starter app's config rule the alerts lesson teaches: every IPv4 CIDR in its config must be
// a network address. `20.0.0.0/4` has host bits set (the /4 network is 16.0.0.0/4), so the app
// refuses to start and exits with code 1, and the pod goes into CrashLoopBackOff.

/** CidrProblem is one invalid CIDR found in the config. */
export interface CidrProblem {
  cidr: string;
  where: string;
  reason: string;
}

const CIDR = /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,3})\b/g;

/** findBadCidrs scans config values for IPv4 CIDRs that are not network addresses. */
export function findBadCidrs(values: Record<string, string>): CidrProblem[] {
  const out: CidrProblem[] = [];
  for (const [where, text] of Object.entries(values)) {
    for (const m of text.matchAll(CIDR)) {
      const octets = m.slice(1, 5).map(Number);
      const prefix = Number(m[5]);
      const cidr = m[0];
      if (octets.some((o) => o > 255) || prefix > 32) {
        out.push({ cidr, where, reason: 'not a valid IPv4 CIDR' });
        continue;
      }
      const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
      const size = 2 ** (32 - prefix);
      const network = Math.floor(ip / size) * size;
      if (network !== ip) {
        const n = [24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.');
        out.push({ cidr, where, reason: `host bits set (the /${prefix} network is ${n}/${prefix})` });
      }
    }
  }
  return out;
}
