/**
 * The country code of one MaxMind DB record, whichever of the two record shapes it has:
 * MaxMind GeoLite2/GeoIP2 Country ({ country: { iso_code }, registered_country: { iso_code } }),
 * where the located country wins over the registered one, or @ip-location-db ({ country_code }).
 * Upper case; null when the record has none.
 */
export function countryOfRecord(record: unknown): string | null {
  if (record === null || typeof record !== 'object') return null;
  const r = record as { country?: { iso_code?: unknown }; registered_country?: { iso_code?: unknown }; country_code?: unknown };
  const code = r.country?.iso_code ?? r.registered_country?.iso_code ?? r.country_code;
  return typeof code === 'string' && code !== '' ? code.toUpperCase() : null;
}
