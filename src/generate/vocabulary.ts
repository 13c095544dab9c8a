// Words the generator composes names from. All invented for this project: the
// sample should look like Sparkify's data without containing anybody's real data.

export const FIRST_NAMES_FEMALE = [
  'Ada', 'Bea', 'Carla', 'Dana', 'Elena', 'Fay', 'Gwen', 'Hana', 'Iris', 'Jade', 'Kira',
  'Lena', 'Mira', 'Nora', 'Opal', 'Pia', 'Rosa', 'Sade', 'Tess', 'Uma', 'Vera', 'Wren',
  'Yara', 'Zoe', 'Alma', 'Bella', 'Cora', 'Della', 'Esme', 'Flora', 'Greta', 'Hazel',
];

export const FIRST_NAMES_MALE = [
  'Abe', 'Bram', 'Cyrus', 'Dario', 'Emil', 'Felix', 'Gus', 'Hugo', 'Ivo', 'Jonah', 'Kai',
  'Leon', 'Milo', 'Nico', 'Otto', 'Pavel', 'Quinn', 'Rafe', 'Silas', 'Theo', 'Ugo', 'Vito',
  'Wade', 'Xavi', 'Yuri', 'Zane', 'Arlo', 'Boris', 'Cole', 'Dex', 'Ezra', 'Finn',
];

export const LAST_NAMES = [
  'Alder', 'Brook', 'Castell', 'Dunmore', 'Ellery', 'Fenwick', 'Garrow', 'Hollis', 'Ingram',
  'Jessop', 'Kettle', 'Langley', 'Marlow', 'Norcott', 'Oakes', 'Pryce', 'Quarry', 'Rudd',
  'Sallow', 'Thorne', 'Upton', 'Vance', 'Whitlock', 'Yardley', 'Ashby', 'Brennan', 'Coyle',
  'Drury', 'Esposito', 'Farrow', 'Gillam', 'Harker', 'Ibarra', 'Jowett', 'Kowal', 'Lund',
];

/** Users' locations, written as US metropolitan areas like Sparkify's events. */
export const USER_LOCATIONS = [
  'Riverton-Lakeside, CA', 'Northport-Eastvale, NY-NJ-PA', 'Cedar Falls-Millbrook, IA',
  'Granite City-Ashford, IL-MO', 'Pine Bluff-Sandhill, AR', 'Harbor Point-Bayview, FL',
  'Mesa Verde-Redrock, AZ', 'Silver Lake-Elm Grove, WI', 'Fairmont-Stonebridge, TX',
  'Clearwater-Oak Ridge, TN', 'Bellhaven-Marston, WA', 'Copperton-Glenwood, CO',
  'Kingsport-Brighton, MA-NH', 'Lakewood-Summit, OH', 'Maple Hill-Westbrook, MI',
  'Southgate-Ferndale, OR', 'Hollow Creek-Dayton, GA', 'Sunview-Palmetto, SC',
  'Bridgewater-Laurel, MD-DC-VA', 'Red Hook-Ironwood, MN-WI', 'Canyon Rim-Sierra, NV',
  'Prairie View-Wheaton, KS-MO', 'Blue Ridge-Ashland, NC', 'Seaside-Monterey Park, CA',
];

/**
 * Browser user agents. The real logs quote those that contain a comma, CSV style,
 * so the value itself starts and ends with a double quote; see quoteLikeCsv.
 */
export const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36',
  'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/37.0.2062.103 Safari/537.36',
  'Mozilla/5.0 (Windows NT 6.3; WOW64; rv:32.0) Gecko/20100101 Firefox/32.0',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10) AppleWebKit/600.1.3 (KHTML, like Gecko) Version/8.0 Safari/600.1.3',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53',
  'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; WOW64; Trident/6.0)',
  'Mozilla/5.0 (Windows NT 6.1; rv:31.0) Gecko/20100101 Firefox/31.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36',
  'Mozilla/5.0 (iPad; CPU OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53',
];

export const ARTIST_ADJECTIVES = [
  'Silver', 'Hollow', 'Velvet', 'Electric', 'Paper', 'Crimson', 'Quiet', 'Golden', 'Broken',
  'Northern', 'Wild', 'Lonely', 'Neon', 'Rusty', 'Frozen', 'Midnight', 'Second', 'Lucky',
];

export const ARTIST_NOUNS = [
  'Foxes', 'Engines', 'Harbors', 'Lanterns', 'Comets', 'Ravens', 'Pilots', 'Rivers', 'Saints',
  'Machines', 'Orchards', 'Wolves', 'Sparrows', 'Tides', 'Giants', 'Strangers', 'Bells',
];

export const ARTIST_SUFFIXES = ['Band', 'Trio', 'Quartet', 'Orchestra', 'Collective', 'Ensemble', 'Crew'];

/** Proper non-ASCII names, so loaders meet accents and other scripts in plain UTF-8. */
export const NON_ASCII_ARTIST_NAMES = [
  'Zoë Varennes', 'Jürgen Ölmann', 'Søren Kjærlund', 'Émile Rousseaux', 'Ñandú Trío',
  'Łucja Żmuda', 'Åsa Bergström', 'Mägo de Roca', 'Ciarán Ó Dálaigh', 'Çağrı Erdoğan',
  'Þóra Guðný', 'Orquesta Azúcar', 'Les Frères Légère', 'Yūki Tanabe', 'Пётр Волков',
  'Δήμος Καλός', 'Café Tacón', 'Dvořák Nouveau', 'Mañana Sí', 'Kōji & the Ōtsuka Five',
];

export const TITLE_WORDS = [
  'Love', 'Night', 'Road', 'Fire', 'Heart', 'Rain', 'Summer', 'River', 'Home', 'Light',
  'Dream', 'Dance', 'Blue', 'Gold', 'Stone', 'Shadow', 'Train', 'Morning', 'Sky', 'Ghost',
  'Mirror', 'Window', 'Highway', 'Thunder', 'Honey', 'Winter', 'Paradise', 'Secret', 'Wire',
];

export const TITLE_PATTERNS = [
  '{A} {B}', 'The {A} Song', '{A} of {B}', 'Back to the {A}', 'Under the {A}', '{A} & {B}',
  'No More {A}', 'Little {A}', '{A} Again', 'Where the {A} Goes', 'All My {A}', '{A}light',
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
