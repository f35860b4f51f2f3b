import { describe, expect, it } from "vitest";
import { inviteLink, inviteState } from "./invites";

describe("invite links", () => {
  it("open the circle page with the code, escaped", () => {
    expect(inviteLink("https://example.com", "Q2lyY2xlOjE=", "a+b/c")).toBe(
      "https://example.com/app/circles/Q2lyY2xlOjE%3D?invite=a%2Bb%2Fc",
    );
  });
});

describe("invite state", () => {
  const now = new Date("2026-12-10T00:00:00Z");
  const base = { revoked: false, expiresAt: null, maxUses: null, uses: 3 };

  it("is valid with no limits", () => {
    expect(inviteState(base, now)).toBe("valid");
  });

  it("is revoked before anything else", () => {
    expect(inviteState({ ...base, revoked: true, expiresAt: "2026-01-01T00:00:00Z" }, now)).toBe("revoked");
  });

  it("expires at its expiry instant", () => {
    expect(inviteState({ ...base, expiresAt: "2026-12-10T00:00:00Z" }, now)).toBe("expired");
    expect(inviteState({ ...base, expiresAt: "2026-12-10T00:00:01Z" }, now)).toBe("valid");
  });

  it("is used up when the uses reach the limit", () => {
    expect(inviteState({ ...base, maxUses: 3 }, now)).toBe("usedUp");
    expect(inviteState({ ...base, maxUses: 4 }, now)).toBe("valid");
  });
});
