/**
 * Quiet hours as the form holds them ("HH:MM" strings, empty for none), checked before they go to
 * `updateNotificationPreferences`: both or neither, well-formed, and not the same minute (the API
 * would take an empty window as "always quiet", which nobody means).
 */
export type QuietProblem = "needBoth" | "badTime" | "sameTime";

export interface QuietCheck {
  ok: boolean;
  /** The field to mark and the message key under `account:notifications`. */
  problems: Partial<Record<"quietStart" | "quietEnd", QuietProblem>>;
  /** What to send: both null clears the quiet hours. */
  value: { quietStart: string | null; quietEnd: string | null };
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** "9:05" → "09:05"; anything else is returned trimmed, for the check to refuse. */
export function normalizeTime(text: string): string {
  const trimmed = text.trim();
  const short = /^(\d):([0-5]\d)$/.exec(trimmed);
  return short ? `0${short[1]}:${short[2]}` : trimmed;
}

export function checkQuietHours(start: string, end: string): QuietCheck {
  const quietStart = normalizeTime(start);
  const quietEnd = normalizeTime(end);
  const problems: QuietCheck["problems"] = {};
  if (!quietStart && !quietEnd) return { ok: true, problems, value: { quietStart: null, quietEnd: null } };
  if (!quietStart) problems.quietStart = "needBoth";
  else if (!TIME.test(quietStart)) problems.quietStart = "badTime";
  if (!quietEnd) problems.quietEnd = "needBoth";
  else if (!TIME.test(quietEnd)) problems.quietEnd = "badTime";
  if (Object.keys(problems).length === 0 && quietStart === quietEnd) problems.quietEnd = "sameTime";
  const ok = Object.keys(problems).length === 0;
  return { ok, problems, value: ok ? { quietStart, quietEnd } : { quietStart: null, quietEnd: null } };
}

/** Whether a local "HH:MM" falls inside the window [start, end), which may wrap midnight. */
export function isQuietAt(time: string, start: string | null, end: string | null): boolean {
  if (!start || !end || start === end) return false;
  return start < end ? time >= start && time < end : time >= start || time < end;
}
