// Kubernetes quantities (`100m`, `512Mi`, `1.5`, `2e3`) as apimachinery's resource.ParseQuantity
// reads them, and a "did you mean" for the usual mistakes (`512mb`, `1GB`, `2 Gi`).
import { parseQuantity as parseUpstream } from '../practice/server/quantity.js';

/**
 * quantityError is the API server's decode error for a string that is not a quantity (the regex
 * error, or "unable to parse quantity's suffix" for `100mi`), or undefined when it parses. The
 * parser is the practice API server's, so both say the same thing about the same value.
 */
export function quantityError(value: string): string | undefined {
  const parsed = parseUpstream(value);
  return typeof parsed === 'string' ? parsed : undefined;
}

/** parseQuantity returns a quantity's value as a number, or undefined when the API server would reject it. */
export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const parsed = parseUpstream(value);
  return typeof parsed === 'number' ? parsed : undefined;
}

/** A near miss and what to write instead: both the binary and the decimal unit when it is ambiguous. */
export interface QuantitySuggestion {
  binary: string;
  decimal?: string;
}

const unitFixes: Record<string, QuantitySuggestion> = {
  k: { binary: 'Ki', decimal: 'k' },
  kb: { binary: 'Ki', decimal: 'k' },
  kib: { binary: 'Ki' },
  ki: { binary: 'Ki' },
  mb: { binary: 'Mi', decimal: 'M' },
  mib: { binary: 'Mi' },
  mi: { binary: 'Mi' },
  g: { binary: 'Gi', decimal: 'G' },
  gb: { binary: 'Gi', decimal: 'G' },
  gib: { binary: 'Gi' },
  gi: { binary: 'Gi' },
  tb: { binary: 'Ti', decimal: 'T' },
  tib: { binary: 'Ti' },
  ti: { binary: 'Ti' },
  t: { binary: 'Ti', decimal: 'T' },
  b: { binary: '' },
  bytes: { binary: '' },
};

/** suggestQuantity proposes the quantity a learner most likely meant, when one is near. */
export function suggestQuantity(value: string): QuantitySuggestion | undefined {
  const match = /^\s*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))\s*([a-zA-Z]*)\s*$/.exec(value);
  if (!match) return undefined;
  const [, number, unit] = match as unknown as [string, string, string];
  const lower = unit.toLowerCase();
  const fix = unitFixes[lower];
  if (fix) {
    const binary = `${number}${fix.binary}`;
    return fix.decimal !== undefined ? { binary, decimal: `${number}${fix.decimal}` } : { binary };
  }
  // Right unit, stray spaces: "2 Gi", " 100m".
  const compact = `${number}${unit}`;
  if (parseQuantity(compact) !== undefined) return { binary: compact };
  return undefined;
}

/** formatBytes prints a byte count with thousands separators, for "512Mi is 536,870,912 bytes". */
export function formatBytes(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
