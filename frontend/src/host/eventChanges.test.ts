import { describe, expect, it } from "vitest";
import { eventChanges } from "./EventFormPage";

const messages = { needDate: "date!", needNumber: "number!" };
const before = {
  title: "Drive",
  description: "Along the river",
  kind: "DRIVE",
  startsAt: "2026-12-20T09:00",
  endsAt: "2026-12-20T17:00",
  signupOpensAt: "",
  signupClosesAt: "2026-12-19T20:00",
  city: "重庆",
  address: "江北",
  capacity: "20",
  maxGuestsPerSignup: "2",
  publish: false,
};

describe("what an event edit sends", () => {
  it("nothing when nothing changed", () => {
    expect(eventChanges(before, { ...before }, messages)).toEqual({ changes: {}, problems: {} });
  });

  it("only the changed fields, numbers as numbers and times with the Shanghai offset", () => {
    const { changes, problems } = eventChanges(before, { ...before, capacity: " 12 ", startsAt: "2026-12-20T10:30" }, messages);
    expect(problems).toEqual({});
    expect(changes).toEqual({ capacity: 12, startsAt: "2026-12-20T10:30:00+08:00" });
  });

  it("an emptied optional field clears it", () => {
    const { changes } = eventChanges(before, { ...before, signupClosesAt: "", address: " " }, messages);
    expect(changes).toEqual({ signupClosesAt: null, address: null });
  });

  it("names the fields that cannot be sent as typed", () => {
    const { problems } = eventChanges(before, { ...before, capacity: "twelve", endsAt: "" }, messages);
    expect(problems).toEqual({ capacity: "number!", endsAt: "date!" });
  });
});
