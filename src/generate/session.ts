// One listening session, page by page: what a user does next, when they log out and
// back in, and the scripted openings that make even a tiny sample show every case.
import { type Track } from './catalogue';
import { type Page, RESPONSES } from './pages';
import { type Random } from './random';
import { type EventRecord } from './sparkify-json';
import { type User } from './users';

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

/**
 * The first sessions of a run act out each situation the warehouse must handle, so
 * even a small sample contains them; later sessions leave it to chance.
 */
export type Script = 'upgrade' | 'downgrade' | 'logout' | 'visitor';
export const OPENING_SCRIPTS: Script[] = ['upgrade', 'downgrade', 'logout', 'visitor'];

/** A play: the track, and whether song_data/ holds it. */
export interface Play {
  track: Track;
  known: boolean;
}

export interface SessionStep {
  event: EventRecord;
  /** For NextSong: whether the track is a catalogue song. */
  knownSong?: boolean;
}

export interface SessionStart {
  sessionId: number;
  user: User;
  startTs: number;
  script?: Script;
}

/**
 * One session's events, lazily and in ts order. The caller stops pulling at midnight or
 * when the session has run its length. A Submit Upgrade event still shows the old level:
 * the caller applies the change once the event is in the logs.
 */
export function* sessionEvents(random: Random, session: SessionStart, pickTrack: () => Play): Generator<SessionStep> {
  const { sessionId, user, script } = session;
  let ts = session.startTs;
  let item = 0;
  let loggedIn = !(script === 'visitor' || (!script && random.chance(VISITOR_SESSIONS)));

  const step = (page: Page, play?: Play): SessionStep => {
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
    ts += play ? Math.round(play.track.length * 1000) : random.int(2_000, 60_000);
    return { event, knownSong: play?.known };
  };

  // Scripted openings; afterwards the session goes on like any other.
  if (script === 'upgrade') {
    yield step('Home');
    yield step('Upgrade');
    yield step('Submit Upgrade');
  } else if (script === 'downgrade') {
    yield step('NextSong', pickTrack());
    yield step('Downgrade');
    yield step('Submit Downgrade');
  } else if (script === 'logout') {
    yield step('NextSong', pickTrack());
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
      yield step(random.weighted(LOGGED_OUT_PAGE_WEIGHTS));
      if (random.chance(0.5)) continue;
      if (!random.chance(LOGIN_AGAIN)) return;
      yield step('Login');
      loggedIn = true;
      continue;
    }
    const next = random.weighted(NEXT_PAGE_WEIGHTS);
    if (next === 'NextSong') {
      yield step('NextSong', pickTrack());
    } else if (next === 'change plan') {
      const upgrade = user.level === 'free';
      yield step(upgrade ? 'Upgrade' : 'Downgrade');
      if (random.chance(upgrade ? SUBMIT_UPGRADE : SUBMIT_DOWNGRADE)) {
        yield step(upgrade ? 'Submit Upgrade' : 'Submit Downgrade');
      }
    } else if (next === 'Settings') {
      yield step('Settings');
      if (random.chance(SAVE_SETTINGS)) yield step('Save Settings');
    } else if (next === 'Logout') {
      yield step('Logout');
      loggedIn = false;
    } else {
      yield step(next);
    }
  }
}
