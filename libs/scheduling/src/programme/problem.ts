import type { Interval } from '../intervals';

/**
 * A programme scheduling problem as the model sees it: times are whole minutes since the epoch, ids are
 * opaque strings, and everything the solver must know (opening hours, venue-local days, closures,
 * availability) is already spelled out as intervals, so the model needs no time zone and no clock.
 */
export interface ProgrammeProblem {
  /** Start times are multiples of this many minutes (e.g. 15). */
  stepMinutes: number;
  /** Programme dates × opening hours: an item must lie wholly inside one of these. */
  open: Interval[];
  /** The venue-local days (for `sameDayAs`). */
  days: Interval[];
  spaces: ProblemSpace[];
  speakers: ProblemSpeaker[];
  items: ProblemItem[];
  /** `unplaced`: place the unplaced items around everything else; `all`: also move displaced items, and others as needed. */
  scope: 'unplaced' | 'all';
  /** With `all`: a moved published item costs `weights.publishedMoved`; published items are never removed. */
  keepPublished: boolean;
  seed: number;
  /** A bound on the local search, so that a run is reproducible whatever the machine's speed. */
  maxIterations?: number;
  weights?: Partial<SoftWeights>;
}

export interface ProblemSpace {
  id: string;
  name: string;
  kind: string;
  capacity: number;
  closures: Interval[];
}

export interface ProblemSpeaker {
  id: string;
  name: string;
  /** Null: available whenever the venue is open. */
  availability: Interval[] | null;
}

export interface Placement {
  spaceId: string;
  start: number;
  end: number;
}

export interface ItemConstraints {
  spaceIds?: string[];
  spaceKinds?: string[];
  minSeats?: number;
  windows?: Interval[];
  after?: string[];
  notParallelWith?: string[];
  sameDayAs?: string[];
  preferredWindows?: Interval[];
  pinned?: boolean;
}

export interface ProblemItem {
  id: string;
  title: string;
  type: string;
  durationMinutes: number;
  speakerIds: string[];
  /** Seats the item needs (its capacity, when set); a space must have at least this many. */
  seats: number;
  /** Where it stands now; absent for an unplaced item. */
  current?: Placement;
  /** Part of a published programme (public): moving it tells its registrants. */
  published: boolean;
  /** Another programme's item (or otherwise out of the run's hands): it only takes its space and speakers. */
  fixed?: boolean;
  /** Placed where it can no longer stay (closure, availability): must move, never to where it stands. */
  displaced: boolean;
  constraints: ItemConstraints;
}

export interface SoftWeights {
  preferredWindowMissed: number;
  sameDayMissed: number;
  spaceChangeWithinType: number;
  publishedMoved: number;
}

export const DEFAULT_WEIGHTS: SoftWeights = {
  publishedMoved: 100,
  preferredWindowMissed: 10,
  sameDayMissed: 10,
  spaceChangeWithinType: 1,
};

export type ReasonCode =
  'no_space_fits' | 'no_window' | 'speaker_unavailable' | 'blocked_by_constraints' | 'time_limit' | 'pinned';

export interface UnplacedReason {
  code: ReasonCode;
  detail: string;
}

export interface SoftTerms {
  preferredWindowMissed: number;
  sameDayMissed: number;
  spaceChangeWithinType: number;
  publishedMoved: number;
}

export interface ProgrammeSolution {
  /** Items whose place the solution sets or changes, with where they stood before (if they did). */
  placements: (Placement & { itemId: string; moved: boolean; previous?: Placement; why?: string })[];
  unplaced: { itemId: string; reasons: UnplacedReason[] }[];
  score: { hard: number; soft: number; terms: SoftTerms };
  stats: {
    /** Items the run had to place (unplaced and displaced ones in scope). */
    toPlace: number;
    placed: number;
    moved: number;
    iterations: number;
    stoppedBy: 'time_limit' | 'cancelled' | null;
  };
}
