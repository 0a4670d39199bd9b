// CronJob schedules as the API server validates them (robfig/cron's standard parser): a descriptor
// such as @hourly, or exactly five fields (minute hour day-of-month month day-of-week) of `*`, `?`,
// numbers, names, ranges, lists and steps. Returns the parser's own error text.

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const fields: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: Object.fromEntries(months.map((m, i) => [m, i + 1])) },
  { min: 0, max: 6, names: Object.fromEntries(days.map((d, i) => [d, i])) },
];

const descriptors = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);

function parseInt10(expr: string, bounds: Bounds): number | string {
  const named = bounds.names?.[expr.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^[0-9]+$/.test(expr))
    return `failed to parse int from ${expr}: strconv.Atoi: parsing "${expr}": invalid syntax`;
  return Number(expr);
}

function checkRange(expr: string, bounds: Bounds): string | undefined {
  const slash = expr.split('/');
  if (slash.length > 2) return `too many slashes: ${expr}`;
  const range = slash[0]!.split('-');
  if (range.length > 2) return `too many hyphens: ${expr}`;
  let start = bounds.min;
  let end = bounds.max;
  if (range[0] !== '*' && range[0] !== '?') {
    const s = parseInt10(range[0]!, bounds);
    if (typeof s === 'string') return s;
    start = s;
    end = s;
    if (range.length === 2) {
      const e = parseInt10(range[1]!, bounds);
      if (typeof e === 'string') return e;
      end = e;
    }
  } else if (range.length === 2) {
    return `failed to parse int from ${range[0]}: strconv.Atoi: parsing "${range[0]}": invalid syntax`;
  }
  if (slash.length === 2) {
    const step = parseInt10(slash[1]!, { min: 0, max: 0 });
    if (typeof step === 'string') return step;
    if (step <= 0) return `step of range should be a positive number: ${expr}`;
  }
  if (start < bounds.min) return `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`;
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return undefined;
}

/** cronProblem returns why the API server rejects a schedule, or undefined when it parses. */
export function cronProblem(schedule: string): string | undefined {
  const spec = schedule.trim();
  if (/^(CRON_)?TZ=/.test(spec)) return 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
  if (spec.startsWith('@')) {
    if (descriptors.has(spec)) return undefined;
    if (spec.startsWith('@every ')) return undefined;
    return `unrecognized descriptor: ${spec}`;
  }
  const parts = spec.split(/\s+/).filter(Boolean);
  if (parts.length !== 5) return `expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`;
  for (let i = 0; i < 5; i++) {
    for (const expr of parts[i]!.split(',')) {
      const problem = checkRange(expr, fields[i]!);
      if (problem) return problem;
    }
  }
  return undefined;
}
