// CIDR verdicts for the ConfigMap checks, on top of the manifest checker's own validation
// (src/check/cidr.ts: `ip & mask == ip` by hand, since Node's net.BlockList masks silently).
import { checkCidr as findCidrProblem } from '../../check/cidr.js';

/** CidrProblem says why a string is not a network address. */
export type CidrProblem = 'syntax' | 'prefix' | 'hostBits';

/** CidrVerdict is the outcome for one CIDR string; `network` is the correct network when host bits are set. */
export interface CidrVerdict {
  cidr: string;
  ok: boolean;
  problem?: CidrProblem;
  network?: string;
}

/** checkCidr validates one `ADDRESS/PREFIX` string. */
export function checkCidr(input: string): CidrVerdict {
  const cidr = input.trim();
  const problem = findCidrProblem(cidr);
  if (!problem) return { cidr, ok: true };
  if (problem.kind === 'host-bits') return { cidr, ok: false, problem: 'hostBits', network: problem.network };
  // A missing prefix is a malformed CIDR, not a bad prefix length.
  const syntax = problem.part === 'address' || !cidr.includes('/');
  return { cidr, ok: false, problem: syntax ? 'syntax' : 'prefix' };
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
