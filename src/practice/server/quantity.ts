// resource.Quantity parsing (k8s.io/apimachinery/pkg/api/resource): enough to reject what the
// API server cannot decode and to compare requests with limits.

const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const SUFFIXES: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** QUANTITY_REGEX_ERROR is the decode error for a value that is not a quantity at all. */
export const QUANTITY_REGEX_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/** QUANTITY_SUFFIX_ERROR is the decode error for an unknown suffix (`100mi`). */
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

/** parseQuantity returns the value in base units, or the upstream error text. */
export function parseQuantity(text: string): number | string {
  const m = QUANTITY_RE.exec(text.trim());
  if (!m || Number.isNaN(Number(m[1]))) return QUANTITY_REGEX_ERROR;
  const suffix = m[2]!;
  const exp = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
  if (exp) return Number(m[1]) * 10 ** Number(exp[1]);
  const factor = SUFFIXES[suffix];
  if (factor === undefined) return QUANTITY_SUFFIX_ERROR;
  return Number(m[1]) * factor;
}
