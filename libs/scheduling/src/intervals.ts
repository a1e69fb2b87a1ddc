/** A half-open time range [start, end) in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

export function overlaps(x: Interval, y: Interval): boolean {
  return x.start < y.end && y.start < x.end;
}

/** The indices of the consecutive slots of `minutes` from `start` that overlap any of `ranges`. */
export function slotsOverlapping(
  start: number,
  minutes: number,
  slots: number,
  ranges: Interval[],
): number[] {
  const length = minutes * 60_000;
  const hit: number[] = [];
  for (let s = 0; s < slots; s++) {
    const slot = { start: start + s * length, end: start + (s + 1) * length };
    if (ranges.some((r) => overlaps(slot, r))) hit.push(s);
  }
  return hit;
}
