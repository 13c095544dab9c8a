// Simulates listening sessions, one day at a time, and returns that day's events in
// ts order. Only one day is held in memory: memory grows with events per day, not
// with the total (a million events over the default 30 days is 33,000 a day).
import { DAY_MS, type Day, sessionStartMs } from './calendar';
import { type Catalogue } from './catalogue';
import { type Random } from './random';
import { type EventRecord } from './sparkify-json';
import { OPENING_SCRIPTS, type Play, type Script, sessionEvents, type SessionStep } from './session';
import { type User, UserPicker } from './users';

export interface SimulationStats {
  events: number;
  sessions: number;
  nextSongEvents: number;
  loggedOutEvents: number;
  /** Submit Upgrade and Submit Downgrade events: each flips the user's level. */
  levelChanges: number;
  /** Distinct users with both free and paid events in the logs. */
  usersWithLevelChanges: number;
  /** Distinct non-empty userIds in the logs. */
  users: number;
  /** Plays whose artist, song and length equal a song file's exactly. */
  playsOfKnownSongs: number;
  /** Plays of tracks that no song file holds. */
  playsOfUnknownSongs: number;
}

/** Share of plays that are of songs in song_data/. */
const KNOWN_PLAYS = 0.4;
/** Sessions last a geometric number of events with this mean. */
const MEAN_SESSION_EVENTS = 9;

export class Simulator {
  private readonly picker: UserPicker;
  private readonly usersById: Map<string, User>;
  private readonly scripts = [...OPENING_SCRIPTS];
  private nextSessionId = 1;
  private readonly levelsSeen = new Map<string, number>();
  private readonly lastEventTs = new Map<string, number>();
  private readonly counts = {
    events: 0,
    sessions: 0,
    nextSongEvents: 0,
    loggedOutEvents: 0,
    levelChanges: 0,
    playsOfKnownSongs: 0,
    playsOfUnknownSongs: 0,
  };

  constructor(
    private readonly random: Random,
    private readonly catalogue: Catalogue,
    users: User[],
  ) {
    this.picker = new UserPicker(users);
    this.usersById = new Map(users.map((user) => [user.userId, user]));
  }

  /** Exactly `budget` events, all within the day, sorted by ts (stable for equal ts). */
  simulateDay(day: Day, budget: number): EventRecord[] {
    const events: EventRecord[] = [];
    const dayEnd = day.startMs + DAY_MS;
    while (events.length < budget) {
      const script = this.scripts.shift();
      // Scripts need a few events to play out; otherwise sessions end at random.
      const length = Math.max(script ? 8 : 1, this.random.geometric(1 / MEAN_SESSION_EVENTS));
      const limit = Math.min(length, budget - events.length);
      let taken = 0;
      this.counts.sessions++;
      const { user, startTs } = this.startSession(day, script);
      for (const step of sessionEvents(this.random, { sessionId: this.nextSessionId++, user, startTs, script }, () =>
        this.pickTrack(),
      )) {
        // A session cut off at midnight ends there: each file holds one day.
        if (step.event.ts >= dayEnd || taken >= limit) break;
        this.record(step);
        events.push(step.event);
        taken++;
      }
    }
    return events.sort((a, b) => a.ts - b.ts);
  }

  stats(): SimulationStats {
    let usersWithLevelChanges = 0;
    for (const mask of this.levelsSeen.values()) if (mask === 3) usersWithLevelChanges++;
    return { ...this.counts, usersWithLevelChanges, users: this.levelsSeen.size };
  }

  /** Counts an event that made it into the logs and applies its effect on the user. */
  private record({ event, knownSong }: SessionStep): void {
    this.counts.events++;
    if (event.auth === 'Logged Out') this.counts.loggedOutEvents++;
    if (event.page === 'NextSong') {
      this.counts.nextSongEvents++;
      if (knownSong) this.counts.playsOfKnownSongs++;
      else this.counts.playsOfUnknownSongs++;
    }
    if (event.userId !== '') {
      this.lastEventTs.set(event.userId, event.ts);
      const bit = event.level === 'free' ? 1 : 2;
      this.levelsSeen.set(event.userId, (this.levelsSeen.get(event.userId) ?? 0) | bit);
    }
    if (event.page === 'Submit Upgrade' || event.page === 'Submit Downgrade') {
      // Applied here, once the event is in the logs, so that every change of level
      // in the logs follows a Submit event, even when the session is cut off after it.
      this.usersById.get(event.userId)!.level = event.page === 'Submit Upgrade' ? 'paid' : 'free';
      this.counts.levelChanges++;
    }
  }

  /**
   * Who starts a session, and when. A user is in one session at a time and starts the
   * next only after the last one's events, so that each user's level changes in ts
   * order: a busy user starts a little after their last event, if the day allows.
   */
  private startSession(day: Day, script: Script | undefined): { user: User; startTs: number } {
    const dayEnd = day.startMs + DAY_MS;
    for (let attempt = 0; attempt < 50; attempt++) {
      const user = this.pickUser(script);
      const free = (this.lastEventTs.get(user.userId) ?? -Infinity) + this.random.int(60_000, 1_800_000);
      const startTs = Math.max(sessionStartMs(this.random, day), free);
      if (startTs < dayEnd) return { user, startTs };
    }
    // Only when there are far too few users for the day's events: let sessions overlap
    // rather than loop for ever.
    return { user: this.pickUser(script), startTs: sessionStartMs(this.random, day) };
  }

  private pickUser(script: Script | undefined): User {
    if (script === 'upgrade') return this.picker.firstWithLevel('free') ?? this.picker.pick(this.random);
    if (script === 'downgrade') return this.picker.firstWithLevel('paid') ?? this.picker.pick(this.random);
    return this.picker.pick(this.random);
  }

  /** A play: mostly unknown tracks, as in the real logs, with popular songs repeating. */
  private pickTrack(): Play {
    const { knownTracks, unknownTracks } = this.catalogue;
    // Until the logs hold one play of each kind, take that kind: tiny samples need both.
    const known =
      this.counts.playsOfKnownSongs === 0 || (this.counts.playsOfUnknownSongs > 0 && this.random.chance(KNOWN_PLAYS));
    return known
      ? { track: knownTracks[this.random.skewedIndex(knownTracks.length, 2.5)], known }
      : { track: unknownTracks[this.random.skewedIndex(unknownTracks.length, 1.8)], known };
  }
}
