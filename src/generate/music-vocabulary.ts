// The words artists and songs are made of: band names, titles and the places artists
// come from. All invented for this project, like the users' words (user-vocabulary.ts).

export const ARTIST_ADJECTIVES = [
  'Silver',
  'Hollow',
  'Velvet',
  'Electric',
  'Paper',
  'Crimson',
  'Quiet',
  'Golden',
  'Broken',
  'Northern',
  'Wild',
  'Lonely',
  'Neon',
  'Rusty',
  'Frozen',
  'Midnight',
  'Second',
  'Lucky',
];

export const ARTIST_NOUNS = [
  'Foxes',
  'Engines',
  'Harbors',
  'Lanterns',
  'Comets',
  'Ravens',
  'Pilots',
  'Rivers',
  'Saints',
  'Machines',
  'Orchards',
  'Wolves',
  'Sparrows',
  'Tides',
  'Giants',
  'Strangers',
  'Bells',
];

export const ARTIST_SUFFIXES = ['Band', 'Trio', 'Quartet', 'Orchestra', 'Collective', 'Ensemble', 'Crew'];

/** Proper non-ASCII names, so loaders meet accents and other scripts in plain UTF-8. */
export const NON_ASCII_ARTIST_NAMES = [
  'Zoë Varennes',
  'Jürgen Ölmann',
  'Søren Kjærlund',
  'Émile Rousseaux',
  'Ñandú Trío',
  'Łucja Żmuda',
  'Åsa Bergström',
  'Mägo de Roca',
  'Ciarán Ó Dálaigh',
  'Çağrı Erdoğan',
  'Þóra Guðný',
  'Orquesta Azúcar',
  'Les Frères Légère',
  'Yūki Tanabe',
  'Пётр Волков',
  'Δήμος Καλός',
  'Café Tacón',
  'Dvořák Nouveau',
  'Mañana Sí',
  'Kōji & the Ōtsuka Five',
];

export const TITLE_WORDS = [
  'Love',
  'Night',
  'Road',
  'Fire',
  'Heart',
  'Rain',
  'Summer',
  'River',
  'Home',
  'Light',
  'Dream',
  'Dance',
  'Blue',
  'Gold',
  'Stone',
  'Shadow',
  'Train',
  'Morning',
  'Sky',
  'Ghost',
  'Mirror',
  'Window',
  'Highway',
  'Thunder',
  'Honey',
  'Winter',
  'Paradise',
  'Secret',
  'Wire',
];

export const TITLE_PATTERNS = [
  '{A} {B}',
  'The {A} Song',
  '{A} of {B}',
  'Back to the {A}',
  'Under the {A}',
  '{A} & {B}',
  'No More {A}',
  'Little {A}',
  '{A} Again',
  'Where the {A} Goes',
  'All My {A}',
  '{A}light',
];

/** Suffixes the real titles carry, which make the same song look different. */
export const TITLE_SUFFIXES = [' (Album Version)', ' (Live)', ' (Remix)', ' (Remastered)', ' (Demo)', ' [Explicit]'];

/** Where artists come from; several spellings of a place are normal in the data. */
export const ARTIST_PLACES: ReadonlyArray<{ names: string[]; latitude: number; longitude: number }> = [
  { names: ['Chicago, IL', 'Chicago', 'Chicago, Illinois'], latitude: 41.88415, longitude: -87.63241 },
  { names: ['New York, NY', 'New York City', 'NY - New York City'], latitude: 40.71455, longitude: -74.00712 },
  { names: ['Los Angeles, CA', 'Los Angeles CA', 'California - LA'], latitude: 34.05349, longitude: -118.24532 },
  { names: ['London, England', 'London', 'UK - England - London'], latitude: 51.50632, longitude: -0.12714 },
  { names: ['Berlin, Germany', 'Berlin'], latitude: 52.51607, longitude: 13.37698 },
  { names: ['Nashville, TN', 'Nashville'], latitude: 36.16778, longitude: -86.77836 },
  { names: ['Reykjavík, Iceland', 'Reykjavik'], latitude: 64.13548, longitude: -21.89541 },
  { names: ['São Paulo, Brazil', 'Sao Paulo'], latitude: -23.56288, longitude: -46.65466 },
  { names: ['Montréal, Québec', 'Montreal, QC'], latitude: 45.51228, longitude: -73.55439 },
  { names: ['Austin, TX', 'Austin, Texas'], latitude: 30.26759, longitude: -97.74299 },
  { names: ['Melbourne, Australia', 'Melbourne'], latitude: -37.81753, longitude: 144.96715 },
  { names: ['Detroit, MI', 'Detroit'], latitude: 42.33168, longitude: -83.04792 },
  { names: ['Kingston, Jamaica', 'Kingston'], latitude: 17.99702, longitude: -76.79358 },
  { names: ['Stockholm, Sweden', 'Stockholm'], latitude: 59.33217, longitude: 18.06243 },
  { names: ['Tokyo, Japan', 'Tokyo'], latitude: 35.68952, longitude: 139.69166 },
  { names: ['Seattle, WA', 'Seattle'], latitude: 47.60356, longitude: -122.32944 },
];
