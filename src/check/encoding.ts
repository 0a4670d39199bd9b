// Decides whether a file's bytes are UTF-8 text before anything parses them: kubectl reads manifests
// as UTF-8 (a UTF-8 byte-order mark is allowed), so a binary file, Latin-1 text or UTF-16 gets one
// clear finding naming the encoding instead of dozens of YAML errors with raw control bytes.

/** EncodingProblem names what the bytes are instead of UTF-8 text, and where it shows. */
export interface EncodingProblem {
  /** Locale variant under `check.not-utf8.`: utf16, utf32, binary, latin1. */
  variant: 'utf16' | 'utf32' | 'binary' | 'latin1';
  /** Byte (or, from textProblem, character) offset of the first offending byte; 0 for a mark. */
  offset: number;
  vars: Record<string, string | number>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Control bytes YAML forbids (everything below 0x20 but tab, LF, CR; and DEL). */
function isForbiddenControl(byte: number): boolean {
  return (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f;
}

/** byteOrderMark recognises the UTF-16 and UTF-32 marks (UTF-32LE first: it starts like UTF-16LE). */
function byteOrderMark(b: Uint8Array): EncodingProblem | undefined {
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0)
    return { variant: 'utf32', offset: 0, vars: { encoding: 'UTF-32LE' } };
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff)
    return { variant: 'utf32', offset: 0, vars: { encoding: 'UTF-32BE' } };
  if (b[0] === 0xff && b[1] === 0xfe) return { variant: 'utf16', offset: 0, vars: { encoding: 'UTF-16LE' } };
  if (b[0] === 0xfe && b[1] === 0xff) return { variant: 'utf16', offset: 0, vars: { encoding: 'UTF-16BE' } };
  return undefined;
}

/** utf16WithoutMark: ASCII text saved as UTF-16 has a zero byte in every other position. */
function utf16WithoutMark(b: Uint8Array): EncodingProblem | undefined {
  const sample = Math.min(b.length, 512) & ~1;
  if (sample < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample; i += 2) {
    if (b[i] === 0) evenZeros++;
    if (b[i + 1] === 0) oddZeros++;
  }
  const pairs = sample / 2;
  if (oddZeros > pairs * 0.8 && evenZeros === 0)
    return { variant: 'utf16', offset: 0, vars: { encoding: 'UTF-16LE' } };
  if (evenZeros > pairs * 0.8 && oddZeros === 0)
    return { variant: 'utf16', offset: 0, vars: { encoding: 'UTF-16BE' } };
  return undefined;
}

/** encodingProblem says why bytes are not UTF-8 text, or undefined when they are. */
export function encodingProblem(bytes: Uint8Array): EncodingProblem | undefined {
  const marked = byteOrderMark(bytes) ?? utf16WithoutMark(bytes);
  if (marked) return marked;
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { variant: 'binary', offset: nul, vars: { byte: '0x00' } };
  // A few stray control bytes are a YAML error; many of them mean the file is not text at all.
  let controls = 0;
  let firstControl = -1;
  for (let i = 0; i < bytes.length; i++) {
    if (isForbiddenControl(bytes[i]!)) {
      controls++;
      if (firstControl < 0) firstControl = i;
    }
  }
  if (controls > 0 && controls >= Math.max(4, bytes.length / 100))
    return {
      variant: 'binary',
      offset: firstControl,
      vars: { byte: `0x${bytes[firstControl]!.toString(16).padStart(2, '0')}` },
    };
  try {
    utf8.decode(bytes);
    return undefined;
  } catch {
    const offset = firstInvalidUtf8(bytes);
    return {
      variant: 'latin1',
      offset,
      vars: { byte: `0x${bytes[offset]!.toString(16).padStart(2, '0')}` },
    };
  }
}

/** firstInvalidUtf8 finds the offset of the first byte that breaks UTF-8 (the decoder does not say). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const need =
      c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return Math.max(0, b.length - 1);
}

/** positionOf is the 1-based line and column of an offset into bytes or text (LF ends a line). */
export function positionOf(data: Uint8Array | string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < data.length; i++) {
    const lf = typeof data === 'string' ? data.charCodeAt(i) === 0x0a : data[i] === 0x0a;
    if (lf) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** decodeText turns bytes known to be UTF-8 into text, without a UTF-8 byte-order mark. */
export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
}

/**
 * textProblem is encodingProblem for callers that already hold a string (the course engine): a
 * replacement character means the bytes were not UTF-8, a NUL that they were binary.
 */
export function textProblem(text: string): EncodingProblem | undefined {
  const nul = text.indexOf('\0');
  if (nul >= 0) return { variant: 'binary', offset: nul, vars: { byte: '0x00' } };
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) return { variant: 'latin1', offset: bad, vars: { byte: '?' } };
  return undefined;
}
