/** IANA time-zone names, checked against the runtime's ICU data. */
const known = new Map<string, boolean>();

export function isTimeZone(name: string): boolean {
  let valid = known.get(name);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: name });
      valid = name.length > 0;
    } catch {
      valid = false;
    }
    known.set(name, valid);
  }
  return valid;
}
