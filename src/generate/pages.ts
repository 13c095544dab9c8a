// The pages of the Sparkify app that events record, and how the app answers each.

export type Page =
  | 'NextSong'
  | 'Home'
  | 'Login'
  | 'Logout'
  | 'Settings'
  | 'Save Settings'
  | 'Help'
  | 'About'
  | 'Upgrade'
  | 'Submit Upgrade'
  | 'Downgrade'
  | 'Submit Downgrade'
  | 'Error';

/** How the app answers each page: form posts redirect (307), Error is a 404. */
export const RESPONSES: Record<Page, { method: 'GET' | 'PUT'; status: number }> = {
  NextSong: { method: 'PUT', status: 200 },
  Home: { method: 'GET', status: 200 },
  Login: { method: 'PUT', status: 307 },
  Logout: { method: 'PUT', status: 307 },
  Settings: { method: 'GET', status: 200 },
  'Save Settings': { method: 'PUT', status: 307 },
  Help: { method: 'GET', status: 200 },
  About: { method: 'GET', status: 200 },
  Upgrade: { method: 'GET', status: 200 },
  'Submit Upgrade': { method: 'PUT', status: 307 },
  Downgrade: { method: 'GET', status: 200 },
  'Submit Downgrade': { method: 'PUT', status: 307 },
  Error: { method: 'GET', status: 404 },
};
