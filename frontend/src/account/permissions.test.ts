import { describe, expect, it } from "vitest";
import { canDeleteChatMessage, canDeleteComment, runsCircle } from "./permissions";

const owner = { id: "U1", isBrandStaff: false };
const staff = { id: "U9", isBrandStaff: true };
const host = { role: "HOST", status: "ACTIVE" };
const coHost = { role: "CO_HOST", status: "ACTIVE" };
const member = { role: "MEMBER", status: "ACTIVE" };

describe("who may delete", () => {
  it("hosts and co-hosts run a circle only while active", () => {
    expect(runsCircle(host)).toBe(true);
    expect(runsCircle(coHost)).toBe(true);
    expect(runsCircle(member)).toBe(false);
    expect(runsCircle({ role: "CO_HOST", status: "BANNED" })).toBe(false);
    expect(runsCircle(null)).toBe(false);
  });

  it("a comment: its author, the circle's hosts and co-hosts, brand staff", () => {
    expect(canDeleteComment(owner, "U1", null)).toBe(true);
    expect(canDeleteComment(owner, "U2", member)).toBe(false);
    expect(canDeleteComment(owner, "U2", coHost)).toBe(true);
    expect(canDeleteComment(staff, "U2", null)).toBe(true);
    expect(canDeleteComment(null, "U1", host)).toBe(false);
  });

  it("a chat message: hosts, co-hosts and brand staff, not its author as such", () => {
    expect(canDeleteChatMessage(owner, member)).toBe(false);
    expect(canDeleteChatMessage(owner, host)).toBe(true);
    expect(canDeleteChatMessage(staff, null)).toBe(true);
    expect(canDeleteChatMessage(undefined, host)).toBe(false);
  });
});
