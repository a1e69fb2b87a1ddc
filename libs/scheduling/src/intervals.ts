/**
 * Half-open intervals [start, end) on a number line (the schedulers use minutes since the epoch) and the
 * set arithmetic both schedulers need: windows ∩ opening hours ∩ availability, minus closures and bookings.
 * An interval list is "normal" when sorted by start, non-empty intervals, none overlapping or touching.
 */
export interface Interval {
  start: number;
  end: number;
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

export function contains(outer: Interval, inner: Interval): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

export function length(interval: Interval): number {
  return interval.end - interval.start;
}

/** Sorts, drops empty intervals and merges overlapping or touching ones. */
export function normalize(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/** The points in both lists (inputs need not be normal; the result is). */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const x = normalize(a);
  const y = normalize(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const start = Math.max(x[i].start, y[j].start);
    const end = Math.min(x[i].end, y[j].end);
    if (end > start) out.push({ start, end });
    if (x[i].end < y[j].end) i++;
    else j++;
  }
  return out;
}

/** The points of `from` that are in none of `remove`. */
export function subtract(from: readonly Interval[], remove: readonly Interval[]): Interval[] {
  const x = normalize(from);
  const y = normalize(remove);
  const out: Interval[] = [];
  let j = 0;
  for (const interval of x) {
    let start = interval.start;
    while (j < y.length && y[j].end <= start) j++;
    let k = j;
    while (k < y.length && y[k].start < interval.end) {
      if (y[k].start > start) out.push({ start, end: y[k].start });
      start = Math.max(start, y[k].end);
      k++;
    }
    if (start < interval.end) out.push({ start, end: interval.end });
  }
  return out;
}

/** The union of the lists, normal. */
export function union(...lists: readonly (readonly Interval[])[]): Interval[] {
  return normalize(lists.flat());
}

/** True when some interval of the normal list `within` holds the whole of `interval`. */
export function coveredBy(interval: Interval, within: readonly Interval[]): boolean {
  let lo = 0;
  let hi = within.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (within[mid].start <= interval.start) {
      if (interval.end <= within[mid].end) return true;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return false;
}

/**
 * Start times on a grid of `step` (aligned to multiples of `step`) at which an interval of `duration` lies
 * wholly inside one of `free`, earliest first. `limit` caps how many are returned.
 */
export function gridStarts(
  free: readonly Interval[],
  duration: number,
  step: number,
  limit = Number.POSITIVE_INFINITY,
): number[] {
  const out: number[] = [];
  for (const interval of free) {
    let start = Math.ceil(interval.start / step) * step;
    while (start + duration <= interval.end) {
      out.push(start);
      if (out.length >= limit) return out;
      start += step;
    }
  }
  return out;
}

/** True when some interval of `free` is long enough for `duration` starting on the grid. */
export function fitsSomewhere(free: readonly Interval[], duration: number, step: number): boolean {
  return gridStarts(free, duration, step, 1).length > 0;
}

/**
 * A set of booked intervals kept sorted by start, answering "is [start, end) free?" in O(log n) and taking
 * bookings and releases; what a space or a person holds during a solve.
 */
export class Timeline {
  private starts: number[] = [];
  private ends: number[] = [];
  private owners: string[] = [];

  get size(): number {
    return this.starts.length;
  }

  /** Owners of the bookings overlapping [start, end). */
  overlapping(start: number, end: number): string[] {
    const found: string[] = [];
    // Bookings never overlap each other, so those overlapping [start, end) are contiguous around the insertion point.
    let i = this.lowerBound(start) - 1;
    if (i >= 0 && this.ends[i] <= start) i++;
    if (i < 0) i = 0;
    for (; i < this.starts.length && this.starts[i] < end; i++) {
      if (this.ends[i] > start) found.push(this.owners[i]);
    }
    return found;
  }

  isFree(start: number, end: number): boolean {
    const i = this.lowerBound(start);
    if (i > 0 && this.ends[i - 1] > start) return false;
    return !(i < this.starts.length && this.starts[i] < end);
  }

  /** Books [start, end) for `owner`; the caller has checked that it is free. */
  book(start: number, end: number, owner: string): void {
    const i = this.lowerBound(start);
    this.starts.splice(i, 0, start);
    this.ends.splice(i, 0, end);
    this.owners.splice(i, 0, owner);
  }

  release(start: number, owner: string): void {
    let i = this.lowerBound(start);
    while (i < this.starts.length && this.starts[i] === start) {
      if (this.owners[i] === owner) {
        this.starts.splice(i, 1);
        this.ends.splice(i, 1);
        this.owners.splice(i, 1);
        return;
      }
      i++;
    }
    throw new Error(`no booking of ${owner} at ${start}`);
  }

  /** The free gaps of this timeline inside `within`. */
  gaps(within: readonly Interval[]): Interval[] {
    return subtract(
      within,
      this.starts.map((start, i) => ({ start, end: this.ends[i] })),
    );
  }

  private lowerBound(value: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The indices of the `slots` consecutive slots of `slotLength` from `start` that overlap any of `ranges`. */
export function slotsOverlapping(
  start: number,
  slotLength: number,
  slots: number,
  ranges: readonly Interval[],
): number[] {
  const hit: number[] = [];
  for (let s = 0; s < slots; s++) {
    const slot = { start: start + s * slotLength, end: start + (s + 1) * slotLength };
    if (ranges.some((r) => overlaps(slot, r))) hit.push(s);
  }
  return hit;
}
