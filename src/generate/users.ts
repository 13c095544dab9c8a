// Sparkify's listeners. Their profile is fixed; their level (free or paid) is the
// only thing that changes, when they submit an upgrade or a downgrade.
import { DAY_MS } from './calendar';
import { type Random } from './random';
import { FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES, USER_AGENTS, USER_LOCATIONS } from './user-vocabulary';

export type Level = 'free' | 'paid';

export interface User {
  userId: string;
  firstName: string;
  lastName: string;
  gender: 'F' | 'M';
  location: string;
  userAgent: string;
  /** Epoch milliseconds at sign-up, before the first simulated day. */
  registration: number;
  level: Level;
  /** How often, relative to others, the user starts a session: some listen daily. */
  activity: number;
}

const MIN_USERS = 10;
const MAX_USERS = 50_000;

/**
 * The real logs quote a user agent that contains a comma, as a CSV writer would, so
 * the string itself begins and ends with a double quote. Reproduced on purpose.
 */
function quoteLikeCsv(value: string): string {
  return value.includes(',') ? `"${value}"` : value;
}

/**
 * About one user per 80 events, as in the published sample (8,056 events, 96 users),
 * but no more than about 20 events per user and day: one listener's sessions do not
 * overlap, so a day can only hold so many of them.
 */
export function userCountFor(events: number, days: number): number {
  const wanted = Math.max(events / 80, events / days / 20);
  return Math.max(MIN_USERS, Math.min(MAX_USERS, Math.round(wanted)));
}

export function makeUsers(random: Random, count: number, firstDayMs: number): User[] {
  const users = Array.from({ length: count }, (_, index): User => {
    const gender = random.chance(0.55) ? 'F' : 'M';
    return {
      // Ids start above 1 with gaps, like the real ones; they are strings in the logs.
      userId: String(index * 2 + random.int(2, 3)),
      firstName: random.pick(gender === 'F' ? FIRST_NAMES_FEMALE : FIRST_NAMES_MALE),
      lastName: random.pick(LAST_NAMES),
      gender,
      location: random.pick(USER_LOCATIONS),
      userAgent: quoteLikeCsv(random.pick(USER_AGENTS)),
      registration: firstDayMs - random.int(DAY_MS, 180 * DAY_MS),
      level: random.chance(0.3) ? 'paid' : 'free',
      // A few heavy listeners account for much of the traffic.
      activity: random.chance(0.1) ? random.float(5, 15) : random.float(0.5, 2),
    };
  });
  // At least one of each level, so that both an upgrade and a downgrade can happen.
  users[0].level = 'free';
  users[1].level = 'paid';
  return users;
}

/** Picks users in proportion to their activity (cumulative weights, binary search). */
export class UserPicker {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(private readonly users: ReadonlyArray<User>) {
    let sum = 0;
    for (const user of users) this.cumulative.push((sum += user.activity));
    this.total = sum;
  }

  pick(random: Random): User {
    const roll = random.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.cumulative[mid] > roll) high = mid;
      else low = mid + 1;
    }
    return this.users[low];
  }

  firstWithLevel(level: Level): User | undefined {
    return this.users.find((user) => user.level === level);
  }
}
