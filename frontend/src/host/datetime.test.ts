import { describe, expect, it } from "vitest";
import { isoToLocalInput, localInputToIso, suggestedLocalInput } from "./datetime";

describe("datetime-local in the community's time zone", () => {
  it("reads the input as Shanghai wall-clock time", () => {
    expect(localInputToIso("2026-12-10T09:30")).toBe("2026-12-10T09:30:00+08:00");
    expect(new Date(localInputToIso("2026-12-10T09:30")!).toISOString()).toBe("2026-12-10T01:30:00.000Z");
  });

  it("keeps seconds when the input has them and refuses anything else", () => {
    expect(localInputToIso("2026-12-10T09:30:15")).toBe("2026-12-10T09:30:15+08:00");
    expect(localInputToIso("")).toBeNull();
    expect(localInputToIso("10/12/2026 09:30")).toBeNull();
  });

  it("shows an instant as Shanghai wall-clock time, across the date line", () => {
    expect(isoToLocalInput("2026-12-10T17:00:00Z")).toBe("2026-12-11T01:00");
    expect(isoToLocalInput("2026-12-10T09:30:00+08:00")).toBe("2026-12-10T09:30");
    expect(isoToLocalInput(null)).toBe("");
    expect(isoToLocalInput("not a date")).toBe("");
  });

  it("round-trips", () => {
    const iso = localInputToIso("2027-01-01T00:05")!;
    expect(isoToLocalInput(iso)).toBe("2027-01-01T00:05");
  });

  it("suggests a day ahead at a round hour in Shanghai", () => {
    // 23:30 UTC is 07:30 the next morning in Shanghai
    expect(suggestedLocalInput(1, 9, new Date("2026-12-10T23:30:00Z"))).toBe("2026-12-12T09:00");
  });
});
