// Names written right that hold what double-encoded text is made of (Ã, Â, â, symbols of
// U+00A0–U+00BF, typographic quotes): the repair must leave every one of them as it is.
export const RIGHT_NAMES = [
  'João Gilberto',
  'SÃO PAULO',
  'IRMÃ',
  'AÇÃO',
  'Ã',
  'ROMÂNIA',
  'Château',
  'Björk',
  'Queensrÿche',
  'µ-ziq',
  '98º',
  'Åge Aleksandersen',
  'NG²',
  'Lost `N´ Alive',
  '台北',
  'Beyoncé',
  'don’t',
  'O’Connor',
];
