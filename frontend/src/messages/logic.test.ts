import { describe, expect, it } from "vitest";
import { badgeText, belongsTo, conversationState, IdempotencyKeys, maySend } from "./logic";

describe("live messages", () => {
  it("belong to the open conversation only when between the viewer and the other person", () => {
    expect(belongsTo({ id: "m1", sender: { id: "B" }, recipient: { id: "A" } }, "A", "B")).toBe(true);
    expect(belongsTo({ id: "m2", sender: { id: "A" }, recipient: { id: "B" } }, "A", "B")).toBe(true);
    expect(belongsTo({ id: "m3", sender: { id: "C" }, recipient: { id: "A" } }, "A", "B")).toBe(false);
    expect(belongsTo({ id: "m4", sender: { id: "A" }, recipient: { id: "C" } }, "A", "B")).toBe(false);
    expect(belongsTo({ id: "m5", sender: { id: "B" }, recipient: null }, "A", "B")).toBe(false);
  });
});

describe("conversation states", () => {
  it("follow the status and who asked", () => {
    expect(conversationState(null)).toBe("active");
    expect(conversationState({ status: "ACTIVE", requestedByViewer: false })).toBe("active");
    expect(conversationState({ status: "REQUESTED", requestedByViewer: true })).toBe("requestPending");
    expect(conversationState({ status: "REQUESTED", requestedByViewer: false })).toBe("requestFromThem");
    expect(conversationState({ status: "DECLINED", requestedByViewer: true })).toBe("declined");
    expect(conversationState({ status: "DECLINED", requestedByViewer: false })).toBe("declinedByYou");
  });

  it("offer the send box where the API would take a message", () => {
    expect(maySend("active")).toBe(true);
    expect(maySend("requestFromThem")).toBe(true);
    expect(maySend("requestPending")).toBe(false);
    expect(maySend("declined")).toBe(false);
    expect(maySend("declinedByYou")).toBe(false);
  });
});

describe("idempotency keys", () => {
  it("stay the same until the API answered, then change", () => {
    let n = 0;
    const keys = new IdempotencyKeys(() => `k${++n}`);
    expect(keys.current()).toBe("k1");
    expect(keys.current()).toBe("k1"); // a network failure: the retry sends the same key
    keys.answered();
    expect(keys.current()).toBe("k2");
  });

  it("are random by default", () => {
    const a = new IdempotencyKeys().current();
    const b = new IdempotencyKeys().current();
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThan(8);
  });
});

describe("the badge", () => {
  it("shows nothing at zero and caps at 99+", () => {
    expect(badgeText(0)).toBeNull();
    expect(badgeText(3)).toBe("3");
    expect(badgeText(120)).toBe("99+");
  });
});
