/**
 * A small seeded pseudo-random generator (mulberry32), so every random choice in fedgear (data
 * generation, partitioning, shuffling, augmentation) is reproducible from one integer seed.
 *
 * mulberry32 has a 2^32 period and passes the usual statistical batteries well enough for
 * shuffles and sampling; it is not cryptographic.
 *
 * @example
 * const random = new Random(42);
 * const order = random.shuffle([0, 1, 2, 3]);
 * const shares = random.dirichlet(0.5, 3);
 */
export class Random {
  private state: number;
  private spareNormal: number | undefined;

  /** @param seed any integer; it is taken modulo 2^32. */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new Error(`The random seed must be an integer, but got ${seed}.`);
    }
    this.state = seed >>> 0;
  }

  /** A uniform number in [0, 1) with 32 bits of resolution. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A uniform integer in [0, n); n up to 2^32, so `int(2 ** 32)` is a fresh 32-bit seed. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) {
      throw new Error(`The range of Random.int must be an integer in 1..2^32, but got ${n}.`);
    }
    return Math.floor(this.next() * n);
  }

  /** A standard normal number (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    // 1 - next() is in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Shuffles `array` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [index: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const held = array[i];
      array[i] = array[j];
      array[j] = held;
    }
    return array;
  }

  /**
   * A Gamma(alpha, 1) number (Marsaglia and Tsang, 2000). For alpha < 1 it uses the boost
   * Gamma(alpha) = Gamma(alpha + 1) * U^(1/alpha), which may underflow to 0 for tiny alpha.
   */
  gamma(alpha: number): number {
    if (!(alpha > 0) || !Number.isFinite(alpha)) {
      throw new Error(`The shape alpha of Random.gamma must be a positive finite number, but got ${alpha}.`);
    }
    if (alpha < 1) return this.gamma(alpha + 1) * Math.pow(1 - this.next(), 1 / alpha);
    const d = alpha - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const root = 1 + c * x;
      if (root <= 0) continue;
      const v = root * root * root;
      const u = 1 - this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /**
   * Proportions over `k` parts drawn from a symmetric Dirichlet(alpha). When every gamma draw
   * underflows (alpha far below 1), all mass goes to one uniformly chosen part: the limit of
   * Dirichlet(alpha) as alpha goes to 0.
   */
  dirichlet(alpha: number, k: number): number[] {
    if (!Number.isInteger(k) || k < 1) {
      throw new Error(`The number of parts of Random.dirichlet must be a positive integer, but got ${k}.`);
    }
    const draws = Array.from({ length: k }, () => this.gamma(alpha));
    const total = draws.reduce((sum, value) => sum + value, 0);
    if (total > 0) return draws.map((value) => value / total);
    const winner = this.int(k);
    return draws.map((_, part) => (part === winner ? 1 : 0));
  }
}
