// MurmurHash3, x86 128-bit variant (Austin Appleby's public-domain MurmurHash3_x86_128), the hash of
// APPROX_COUNT_DISTINCT's sketch. Written over 32-bit words with Math.imul: no bigint, no allocation.
// Its first two output words are the 64-bit hash the sketch uses; the test checks the reference
// implementation's outputs.

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function u32le(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
}

/** The four output words of the last {@link murmur3x86_128} call (h1, h2, h3, h4), unsigned. */
export const murmurOut = new Uint32Array(4);

/**
 * MurmurHash3_x86_128 of `data` with `seed` (default 0). The four 32-bit output words h1..h4 are
 * left in {@link murmurOut} (the reference implementation writes them to memory in this order,
 * each little-endian); returns h1.
 */
export function murmur3x86_128(data: Uint8Array, seed = 0): number {
  const len = data.length;
  const nblocks = len >>> 4;
  let h1 = seed | 0;
  let h2 = seed | 0;
  let h3 = seed | 0;
  let h4 = seed | 0;
  for (let i = 0; i < nblocks; i++) {
    const o = i << 4;
    let k1 = u32le(data, o);
    let k2 = u32le(data, o + 4);
    let k3 = u32le(data, o + 8);
    let k4 = u32le(data, o + 12);

    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;

    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;

    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;

    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }

  const t = nblocks << 4;
  const rest = len & 15;
  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  let k4 = 0;
  if (rest > 12) {
    for (let i = rest - 1; i >= 12; i--) k4 ^= data[t + i]! << ((i - 12) * 8);
    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
  }
  if (rest > 8) {
    for (let i = Math.min(rest, 12) - 1; i >= 8; i--) k3 ^= data[t + i]! << ((i - 8) * 8);
    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
  }
  if (rest > 4) {
    for (let i = Math.min(rest, 8) - 1; i >= 4; i--) k2 ^= data[t + i]! << ((i - 4) * 8);
    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
  }
  if (rest > 0) {
    for (let i = Math.min(rest, 4) - 1; i >= 0; i--) k1 ^= data[t + i]! << (i * 8);
    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
  }

  h1 ^= len;
  h2 ^= len;
  h3 ^= len;
  h4 ^= len;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  murmurOut[0] = h1;
  murmurOut[1] = h2;
  murmurOut[2] = h3;
  murmurOut[3] = h4;
  return h1 >>> 0;
}
