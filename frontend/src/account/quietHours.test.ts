import { describe, expect, it } from "vitest";
import { checkQuietHours, isQuietAt, normalizeTime } from "./quietHours";

describe("quiet hours in the notification settings", () => {
  it("both empty clears them", () => {
    expect(checkQuietHours("", " ")).toEqual({ ok: true, problems: {}, value: { quietStart: null, quietEnd: null } });
  });

  it("takes a window that wraps midnight and pads single-digit hours", () => {
    expect(checkQuietHours("22:30", "7:00")).toEqual({ ok: true, problems: {}, value: { quietStart: "22:30", quietEnd: "07:00" } });
    expect(normalizeTime(" 9:05 ")).toBe("09:05");
  });

  it("needs both ends", () => {
    expect(checkQuietHours("22:00", "").problems).toEqual({ quietEnd: "needBoth" });
    expect(checkQuietHours("", "06:00").problems).toEqual({ quietStart: "needBoth" });
  });

  it("refuses malformed times, naming the field", () => {
    const check = checkQuietHours("24:00", "6:60");
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual({ quietStart: "badTime", quietEnd: "badTime" });
    expect(checkQuietHours("10pm", "06:00").problems).toEqual({ quietStart: "badTime" });
  });

  it("refuses an empty window", () => {
    expect(checkQuietHours("08:00", "8:00").problems).toEqual({ quietEnd: "sameTime" });
  });

  it("tells whether a time is inside, wrapping or not", () => {
    expect(isQuietAt("23:15", "22:00", "07:00")).toBe(true);
    expect(isQuietAt("06:59", "22:00", "07:00")).toBe(true);
    expect(isQuietAt("07:00", "22:00", "07:00")).toBe(false);
    expect(isQuietAt("12:30", "12:00", "14:00")).toBe(true);
    expect(isQuietAt("14:00", "12:00", "14:00")).toBe(false);
    expect(isQuietAt("12:30", null, null)).toBe(false);
  });
});
