/**
 * `<input type="datetime-local">` holds a wall-clock time with no zone; the community's times are
 * in Asia/Shanghai (UTC+8 all year, no daylight saving), whatever zone the browser is in.
 */
const SHANGHAI_OFFSET_MINUTES = 8 * 60;

/** "2026-12-10T09:30" (Shanghai wall clock) → "2026-12-10T09:30:00+08:00"; blank → null. */
export function localInputToIso(value: string): string | null {
  const trimmed = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(trimmed)) return null;
  return `${trimmed.length === 16 ? `${trimmed}:00` : trimmed}+08:00`;
}

/** An instant → the Shanghai wall clock for a datetime-local input ("" for none). */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return "";
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MINUTES * 60_000).toISOString().slice(0, 16);
}

/** The Shanghai wall clock `days` from `now`, at `hour`:00, for a form's first suggestion. */
export function suggestedLocalInput(days: number, hour: number, now: Date = new Date()): string {
  const shanghai = new Date(now.getTime() + SHANGHAI_OFFSET_MINUTES * 60_000);
  shanghai.setUTCDate(shanghai.getUTCDate() + days);
  shanghai.setUTCHours(hour, 0, 0, 0);
  return shanghai.toISOString().slice(0, 16);
}
