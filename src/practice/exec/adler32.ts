// Adler-32 (RFC 1950), the checksum zlib uses to name a preset dictionary.

/** adler32 is the Adler-32 checksum of `data`. */
export function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
