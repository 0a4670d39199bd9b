// Resource quantities as Kubernetes writes them (`100m`, `0.5`, `128Mi`, `1G`), parsed to
// numbers: CPU in millicores, memory in bytes; and formatted back for metrics.
import { parseQuantity as parseApiQuantity } from '../server/quantity.js';

/** parseQuantity turns a quantity into its value in base units (cores, bytes); NaN if bad. */
export function parseQuantity(q: unknown): number {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return Number.NaN;
  // One parser for the whole practice cluster: the API server's, which rejects what it cannot decode.
  const value = parseApiQuantity(q);
  return typeof value === 'number' ? value : Number.NaN;
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
