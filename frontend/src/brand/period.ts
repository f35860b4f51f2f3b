/** The start of a period of `days` ending at `now`, as an ISO instant (whole minutes, so it caches). */
export function periodStart(days: number, now: Date = new Date()): string {
  const start = new Date(now.getTime() - days * 86_400_000);
  start.setUTCSeconds(0, 0);
  return start.toISOString();
}
