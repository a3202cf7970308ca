/**
 * Older names that browsers still list as their own (ICU keeps CLDR's ids: Asia/Calcutta, Europe/Kiev), with the
 * name the time zone database uses now. Only renamings: a zone that merely shares another's clock (Europe/
 * Bratislava with Prague) is a place of its own and keeps its name.
 */
const RENAMED: Record<string, string> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

const known = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** A zone by its current name, when this browser knows that name (an old browser may know only the old one). */
export function currentName(zone: string): string {
  const renamed = RENAMED[zone];
  return renamed && known(renamed) ? renamed : zone;
}

/**
 * The zones a person picks from: every zone the browser knows, by its current name, and UTC (which browsers
 * leave out of the list unless it is theirs), sorted. `saved`, the account's zone, is offered as written even
 * when it is an older name, so that the form never changes it unasked.
 */
export function timeZoneChoices(saved: string): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone').map(currentName));
  zones.add('UTC');
  zones.add(saved);
  return [...zones].sort();
}
