// A small seeded PRNG, so that the same seed and flags always write the same bytes.
// Math.random() cannot be seeded, and the sample must be reproducible for tests and
// benchmarks, hence this instead of a dependency: sfc32 seeded through splitmix32.

/** splitmix32: spreads a weak seed (42, 43, ...) into well-mixed 32-bit state. */
function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A string label to a 32-bit number (FNV-1a), for forking independent streams. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    const mix = splitmix32(seed);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
  }

  /**
   * An independent stream for one part of the generator. Forking per part means that,
   * say, asking for more events does not change which songs the catalogue holds.
   */
  fork(label: string): Random {
    return new Random((this.seed ^ hashLabel(label)) >>> 0);
  }

  /** A float in [0, 1). */
  next(): number {
    // sfc32
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }

  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: ReadonlyArray<T>): T {
    if (items.length === 0) throw new RangeError('Random.pick needs at least one item');
    return items[Math.floor(this.next() * items.length)];
  }

  /**
   * An index skewed towards 0, for popularity: low indexes come up far more often,
   * like a few hit songs among many rarely played ones. skew 1 is uniform.
   */
  skewedIndex(length: number, skew: number): number {
    return Math.min(length - 1, Math.floor(length * Math.pow(this.next(), skew)));
  }

  /** Picks a key of `weights` with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const keys = Object.keys(weights) as K[];
    let total = 0;
    for (const key of keys) total += weights[key];
    let roll = this.next() * total;
    for (const key of keys) {
      roll -= weights[key];
      if (roll < 0) return key;
    }
    return keys[keys.length - 1];
  }

  /** A number of trials until the first success: mean is 1 / probability. */
  geometric(probability: number): number {
    let count = 1;
    while (!this.chance(probability)) count++;
    return count;
  }

  /** `length` characters drawn from `alphabet`. */
  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  /** `count` distinct indexes from [0, length), in the order drawn. */
  sampleIndexes(length: number, count: number): number[] {
    const pool = Array.from({ length }, (_, i) => i);
    const taken: number[] = [];
    for (let i = 0; i < Math.min(count, length); i++) {
      const j = i + Math.floor(this.next() * (length - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
      taken.push(pool[i]);
    }
    return taken;
  }
}

/** Ids drawn from `build` until one is new: each id the catalogue hands out is unique. */
export class UniqueIds {
  private readonly seen = new Set<string>();
  constructor(private readonly random: Random) {}

  make(build: (random: Random) => string): string {
    for (;;) {
      const id = build(this.random);
      if (!this.seen.has(id)) {
        this.seen.add(id);
        return id;
      }
    }
  }
}
