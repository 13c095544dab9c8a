// Simulates listening sessions, one day at a time, and returns that day's events in
// ts order. Only one day is held in memory: memory grows with events per day, not
// with the total (a million events over the default 30 days is 33,000 a day).
import { DAY_MS, type Day, sessionStartMs } from './calendar';
import { type Catalogue, type Track } from './catalogue';
import { type Random } from './random';
import { type EventRecord } from './sparkify-json';
import { type Page, RESPONSES } from './pages';
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

// What a logged-in user does next. Tuned so that NextSong is about 85% of all events,
// as in the published logs. "Change plan" is Upgrade for free users, Downgrade for paid.
const NEXT_PAGE_WEIGHTS = {
  NextSong: 0.87,
  Home: 0.05,
  Settings: 0.007,
  Help: 0.006,
  About: 0.004,
  'change plan': 0.012,
  Error: 0.0012,
  Logout: 0.014,
};
const LOGGED_OUT_PAGE_WEIGHTS = { Home: 0.7, About: 0.15, Help: 0.15 };

/** Chances that a visit to a page leads to its form being submitted. */
const SUBMIT_UPGRADE = 0.35;
const SUBMIT_DOWNGRADE = 0.15;
const SAVE_SETTINGS = 0.25;
/** Chance that a user who logged out logs in again within the same session. */
const LOGIN_AGAIN = 0.5;
/** Share of sessions that begin logged out: a visitor on the home page. */
const VISITOR_SESSIONS = 0.05;
/** Share of plays that are of songs in song_data/. */
const KNOWN_PLAYS = 0.4;
/** Sessions last a geometric number of events with this mean. */
const MEAN_SESSION_EVENTS = 9;

/**
 * The first sessions of a run act out each situation the warehouse must handle, so
 * even a small sample contains them; later sessions leave it to chance.
 */
type Script = 'upgrade' | 'downgrade' | 'logout' | 'visitor';
const OPENING_SCRIPTS: Script[] = ['upgrade', 'downgrade', 'logout', 'visitor'];

interface Step {
  event: EventRecord;
  /** For NextSong: whether the track is a catalogue song. */
  knownSong?: boolean;
}

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
      for (const step of this.session(user, startTs, script)) {
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
  private record({ event, knownSong }: Step): void {
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
  private pickTrack(): { track: Track; known: boolean } {
    const { knownTracks, unknownTracks } = this.catalogue;
    // Until the logs hold one play of each kind, take that kind: tiny samples need both.
    const known = this.counts.playsOfKnownSongs === 0 || (this.counts.playsOfUnknownSongs > 0 && this.random.chance(KNOWN_PLAYS));
    return known ? { track: knownTracks[this.random.skewedIndex(knownTracks.length, 2.5)], known } : { track: unknownTracks[this.random.skewedIndex(unknownTracks.length, 1.8)], known };
  }

  /**
   * One session's events, lazily and in ts order. The caller stops pulling at
   * midnight or when the session has run its length. A Submit Upgrade event still
   * shows the old level; record() applies the change.
   */
  private *session(user: User, startTs: number, script: Script | undefined): Generator<Step> {
    const sessionId = this.nextSessionId++;
    let ts = startTs;
    let item = 0;
    let loggedIn = !(script === 'visitor' || (!script && this.random.chance(VISITOR_SESSIONS)));

    const step = (page: Page, play?: { track: Track; known: boolean }): Step => {
      const event: EventRecord = {
        artist: play ? play.track.artist : null,
        auth: loggedIn ? 'Logged In' : 'Logged Out',
        firstName: loggedIn ? user.firstName : null,
        gender: loggedIn ? user.gender : null,
        itemInSession: item++,
        lastName: loggedIn ? user.lastName : null,
        length: play ? play.track.length : null,
        level: user.level,
        location: loggedIn ? user.location : null,
        method: RESPONSES[page].method,
        page,
        registration: loggedIn ? user.registration : null,
        sessionId,
        song: play ? play.track.title : null,
        status: RESPONSES[page].status,
        ts,
        userAgent: loggedIn ? user.userAgent : null,
        userId: loggedIn ? user.userId : '',
      };
      // The next event comes when this song ends, or after a short look at the page.
      ts += play ? Math.round(play.track.length * 1000) : this.random.int(2_000, 60_000);
      return { event, knownSong: play?.known };
    };

    // Scripted openings; afterwards the session goes on like any other.
    if (script === 'upgrade') {
      yield step('Home');
      yield step('Upgrade');
      yield step('Submit Upgrade');
    } else if (script === 'downgrade') {
      yield step('NextSong', this.pickTrack());
      yield step('Downgrade');
      yield step('Submit Downgrade');
    } else if (script === 'logout') {
      yield step('NextSong', this.pickTrack());
      yield step('Logout');
      loggedIn = false;
      yield step('Home');
      yield step('Login');
      loggedIn = true;
    } else if (script === 'visitor') {
      yield step('Home');
      yield step('Login');
      loggedIn = true;
    }

    for (;;) {
      if (!loggedIn) {
        yield step(this.random.weighted(LOGGED_OUT_PAGE_WEIGHTS));
        if (this.random.chance(0.5)) continue;
        if (!this.random.chance(LOGIN_AGAIN)) return;
        yield step('Login');
        loggedIn = true;
        continue;
      }
      const next = this.random.weighted(NEXT_PAGE_WEIGHTS);
      if (next === 'NextSong') {
        yield step('NextSong', this.pickTrack());
      } else if (next === 'change plan') {
        const upgrade = user.level === 'free';
        yield step(upgrade ? 'Upgrade' : 'Downgrade');
        if (this.random.chance(upgrade ? SUBMIT_UPGRADE : SUBMIT_DOWNGRADE)) {
          yield step(upgrade ? 'Submit Upgrade' : 'Submit Downgrade');
        }
      } else if (next === 'Settings') {
        yield step('Settings');
        if (this.random.chance(SAVE_SETTINGS)) yield step('Save Settings');
      } else if (next === 'Logout') {
        yield step('Logout');
        loggedIn = false;
      } else {
        yield step(next);
      }
    }
  }
}
