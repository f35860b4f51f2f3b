import { describe, expect, it } from "vitest";
import { globalIdType, routeForTarget } from "./ids";

const id = (type: string, pk: number) => btoa(`${type}:${pk}`);

describe("notification targets", () => {
  it("open the page of what they are about", () => {
    expect(routeForTarget(id("Post", 7))).toBe(`/posts/${id("Post", 7)}`);
    expect(routeForTarget(id("Event", 1))).toBe(`/events/${id("Event", 1)}`);
    expect(routeForTarget(id("Circle", 3))).toBe(`/circles/${id("Circle", 3)}`);
    expect(routeForTarget(id("Membership", 9))).toBe("/host");
  });

  it("have no link when no page shows them or the ID is not one", () => {
    expect(routeForTarget(id("ChatMessage", 2))).toBeNull();
    expect(routeForTarget("not base64 !")).toBeNull();
    expect(routeForTarget(null)).toBeNull();
    expect(globalIdType(btoa("nocolon"))).toBeNull();
  });
});
