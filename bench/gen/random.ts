import { rng } from '../../server/db/seed/children';

/** A seeded source of everything random the generator needs, so one seed gives one database. */
export class Random {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = rng(seed);
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }

  /** Picks by weight: [[value, weight], …]. */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let r = this.next() * total;
    for (const [v, w] of table) {
      r -= w;
      if (r < 0) return v;
    }
    return table[table.length - 1]![0];
  }

  /** A version-4 UUID drawn from the seed (the same on every run with the same seed). */
  uuid(): string {
    const h = (n: number) => (Math.floor(n) >>> 0).toString(16).padStart(8, '0');
    const a = h(this.next() * 2 ** 32);
    const b = h(this.next() * 2 ** 32);
    const c = h(this.next() * 2 ** 32);
    const d = h(this.next() * 2 ** 32);
    const variant = ((parseInt(c[0]!, 16) & 0x3) | 0x8).toString(16);
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }

  /** A date (yyyy-mm-dd) between two dates, inclusive. */
  date(from: string, to: string): string {
    const a = Date.parse(`${from}T00:00:00Z`);
    const b = Date.parse(`${to}T00:00:00Z`);
    return new Date(a + Math.floor(this.next() * ((b - a) / 86_400_000 + 1)) * 86_400_000).toISOString().slice(0, 10);
  }

  /** An instant on a day (Vietnam time, between two hours), as ISO text. */
  at(day: string, fromHour = 8, toHour = 17): string {
    const minutes = this.int(fromHour * 60, toHour * 60 - 1);
    return new Date(Date.parse(`${day}T00:00:00+07:00`) + minutes * 60_000 + this.int(0, 59) * 1000).toISOString();
  }
}

/** Adds whole days to a yyyy-mm-dd date. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
