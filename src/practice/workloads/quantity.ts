// Resource quantities as Kubernetes writes them (`100m`, `0.5`, `128Mi`, `1G`), parsed to
// numbers: CPU in millicores, memory in bytes; and formatted back for metrics.

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
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

/** parseQuantity turns a quantity string into its value in base units (cores, bytes); NaN if bad. */
export function parseQuantity(q: unknown): number {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return Number.NaN;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix in BINARY) return n * (BINARY[suffix] as number);
  if (suffix in DECIMAL) return n * (DECIMAL[suffix] as number);
  return Number.NaN;
}

/** milliCpu parses a CPU quantity to millicores (0 when absent or bad). */
export function milliCpu(q: unknown): number {
  const v = parseQuantity(q);
  return Number.isFinite(v) ? Math.round(v * 1000) : 0;
}

/** bytesOf parses a memory quantity to bytes (0 when absent or bad). */
export function bytesOf(q: unknown): number {
  const v = parseQuantity(q);
  return Number.isFinite(v) ? Math.round(v) : 0;
}

/** formatNanoCores writes CPU usage as metrics-server does: `12345678n`. */
export function formatNanoCores(milli: number): string {
  return `${Math.max(0, Math.round(milli * 1e6))}n`;
}

/** formatKi writes memory as metrics-server does: `12345Ki`. */
export function formatKi(bytes: number): string {
  return `${Math.max(0, Math.round(bytes / 1024))}Ki`;
}
