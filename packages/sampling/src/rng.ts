/**
 * Seeded 32-bit pseudo-random numbers for the trainers.
 *
 * xoshiro128** (Blackman & Vigna): 128 bits of state in four int32 fields, period 2^128 − 1, and
 * only 32-bit integer operations (`Math.imul`, shifts, `>>> 0`), which V8 compiles to plain machine
 * instructions. The C tool's 64-bit LCG cannot be computed exactly with doubles and BigInt is far
 * too slow for a hot loop, hence this choice. Each worker gets its own stream from `(seed, stream)`
 * through a SplitMix32-style mixer, so streams are decorrelated even for consecutive seeds.
 */

const TWO_POW_32 = 4294967296;
const INV_TWO_POW_32 = 1 / TWO_POW_32;

/** Mixes a 32-bit value (SplitMix32 / murmur3 finaliser). */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A seeded pseudo-random generator. Deterministic: the same `(seed, stream)` gives the same
 * sequence on every platform. Not cryptographic.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Box–Muller gives normals in pairs: the second one waits here. */
  private spareGaussian = 0;
  private hasSpareGaussian = false;

  /** Prefer {@link createRng}; `seed` and `stream` are reduced to 32 bits each. */
  constructor(seed: number, stream = 0) {
    if (!Number.isFinite(seed)) throw new RangeError(`Rng seed must be a finite number, got ${seed}`);
    if (!Number.isFinite(stream)) throw new RangeError(`Rng stream must be a finite number, got ${stream}`);
    const lo = Math.trunc(seed) >>> 0;
    const hi = Math.trunc(seed / TWO_POW_32) >>> 0;
    let x = mix32(lo ^ mix32(hi + 0x9e3779b9) ^ mix32(Math.imul((stream >>> 0) + 1, 0x632be5ab)));
    x = (x + 0x9e3779b9) | 0;
    this.s0 = mix32(x);
    x = (x + 0x9e3779b9) | 0;
    this.s1 = mix32(x);
    x = (x + 0x9e3779b9) | 0;
    this.s2 = mix32(x);
    x = (x + 0x9e3779b9) | 0;
    this.s3 = mix32(x);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** Next uniformly distributed unsigned 32-bit integer in [0, 2^32). */
  nextUint32(): number {
    const s1 = this.s1;
    const t = s1 << 9;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** Next float uniformly distributed in [0, 1) with 32 random bits. */
  nextFloat(): number {
    return this.nextUint32() * INV_TWO_POW_32;
  }

  /**
   * Next integer uniformly distributed in [0, n), for 1 ≤ n ≤ 2^32 (multiply-shift; the bias is at
   * most n / 2^32, far below anything training can notice).
   */
  nextInt(n: number): number {
    return Math.floor(this.nextUint32() * INV_TWO_POW_32 * n);
  }

  /** A standard normal deviate (Box–Muller; both values of each pair are used). */
  nextGaussian(): number {
    if (this.hasSpareGaussian) {
      this.hasSpareGaussian = false;
      return this.spareGaussian;
    }
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareGaussian = r * Math.sin(2 * Math.PI * v);
    this.hasSpareGaussian = true;
    return r * Math.cos(2 * Math.PI * v);
  }

  /** The generator state, to snapshot or hand to another thread. */
  getState(): Uint32Array {
    return Uint32Array.of(this.s0, this.s1, this.s2, this.s3);
  }

  /** Restores a state produced by {@link Rng.getState}. */
  setState(state: ArrayLike<number>): void {
    if (state.length !== 4) throw new RangeError(`Rng state must have 4 words, got ${state.length}`);
    this.s0 = state[0]! | 0;
    this.s1 = state[1]! | 0;
    this.s2 = state[2]! | 0;
    this.s3 = state[3]! | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) throw new RangeError('Rng state must not be all zeros');
    this.hasSpareGaussian = false;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Creates a seeded generator. Use `stream` to get independent sequences from one seed (the
 * trainers use `stream = workerId`).
 *
 * @example
 * ```ts
 * const rng = createRng(42);
 * rng.nextInt(10); // 0..9
 * ```
 */
export function createRng(seed: number, stream = 0): Rng {
  return new Rng(seed, stream);
}
