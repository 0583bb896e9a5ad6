// SHA-256 in plain TypeScript (FIPS 180-4), incremental, for the trace digest.
// server/sim may not use node:crypto or WebCrypto (async), so it carries its own.

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** Compresses every whole 64-byte block of p[pos, pos+len) into state v; returns the new position. */
function hashBlocks(w: Int32Array, v: Int32Array, p: Uint8Array, pos: number, len: number): number {
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  while (len >= 64) {
    let a = v[0]!;
    let b = v[1]!;
    let c = v[2]!;
    let d = v[3]!;
    let e = v[4]!;
    let f = v[5]!;
    let g = v[6]!;
    let h = v[7]!;
    for (let i = 0; i < 16; i++) w[i] = dv.getInt32(pos + i * 4);
    for (let i = 16; i < 64; i++) {
      let u = w[i - 2]!;
      const t1 = ((u >>> 17) | (u << 15)) ^ ((u >>> 19) | (u << 13)) ^ (u >>> 10);
      u = w[i - 15]!;
      const t2 = ((u >>> 7) | (u << 25)) ^ ((u >>> 18) | (u << 14)) ^ (u >>> 3);
      w[i] = (((t1 + w[i - 7]!) | 0) + ((t2 + w[i - 16]!) | 0)) | 0;
    }
    for (let i = 0; i < 64; i++) {
      const t1 =
        (((((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g))) | 0) +
        ((h + ((K[i]! + w[i]!) | 0)) | 0);
      const t2 =
        ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    v[0] = (v[0]! + a) | 0;
    v[1] = (v[1]! + b) | 0;
    v[2] = (v[2]! + c) | 0;
    v[3] = (v[3]! + d) | 0;
    v[4] = (v[4]! + e) | 0;
    v[5] = (v[5]! + f) | 0;
    v[6] = (v[6]! + g) | 0;
    v[7] = (v[7]! + h) | 0;
    pos += 64;
    len -= 64;
  }
  return pos;
}

export class Sha256 {
  private readonly h = new Int32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  private readonly w = new Int32Array(64);
  private readonly block = new Uint8Array(64);
  private blockLen = 0;
  private total = 0;

  update(data: Uint8Array): this {
    let i = 0;
    const n = data.length;
    this.total += n;
    if (this.blockLen > 0) {
      while (i < n && this.blockLen < 64) this.block[this.blockLen++] = data[i++]!;
      if (this.blockLen === 64) {
        hashBlocks(this.w, this.h, this.block, 0, 64);
        this.blockLen = 0;
      }
    }
    if (n - i >= 64) i = hashBlocks(this.w, this.h, data, i, n - i);
    while (i < n) this.block[this.blockLen++] = data[i++]!;
    return this;
  }

  /** Feeds n zero bytes. */
  zeros(n: number): this {
    return n > 0 ? this.update(new Uint8Array(n)) : this;
  }

  digest(): Uint8Array {
    const bits = this.total * 8;
    const pad = new Uint8Array((this.blockLen < 56 ? 56 : 120) - this.blockLen + 8);
    pad[0] = 0x80;
    const hi = Math.floor(bits / 4294967296);
    const lo = bits >>> 0;
    const p = pad.length - 8;
    pad[p] = hi >>> 24;
    pad[p + 1] = hi >>> 16;
    pad[p + 2] = hi >>> 8;
    pad[p + 3] = hi;
    pad[p + 4] = lo >>> 24;
    pad[p + 5] = lo >>> 16;
    pad[p + 6] = lo >>> 8;
    pad[p + 7] = lo;
    this.update(pad);
    const out = new Uint8Array(32);
    for (let i = 0; i < 8; i++) {
      const v = this.h[i]!;
      out[i * 4] = v >>> 24;
      out[i * 4 + 1] = v >>> 16;
      out[i * 4 + 2] = v >>> 8;
      out[i * 4 + 3] = v;
    }
    return out;
  }

  hex(): string {
    let s = "";
    for (const b of this.digest()) s += b.toString(16).padStart(2, "0");
    return s;
  }
}

export function sha256Hex(data: Uint8Array): string {
  return new Sha256().update(data).hex();
}
