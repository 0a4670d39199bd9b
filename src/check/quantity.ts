// Kubernetes quantities (`100m`, `512Mi`, `1.5`, `2e3`) as apimachinery's resource.ParseQuantity
// reads them, and a "did you mean" for the usual mistakes (`512mb`, `1GB`, `2 Gi`).

/** The message the API server gives for a string that is not a quantity (apimachinery resource). */
export const quantityRegexText = "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const suffixes: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const quantityPattern =
  /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/** parseQuantity returns a quantity's value as a number, or undefined when the API server would reject it. */
export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const match = quantityPattern.exec(value);
  if (!match) return undefined;
  const number = Number(match[1]);
  const suffix = match[2] ?? '';
  if (/^[eE]/.test(suffix)) return number * 10 ** Number(suffix.slice(1));
  return number * suffixes[suffix]!;
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
