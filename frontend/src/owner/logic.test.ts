import { describe, expect, it } from "vitest";
import { safeNext } from "../auth/LoginPage";
import { limitPhotos, MAX_PHOTOS } from "./ComposePage";
import { levelProgress } from "./PointsPage";
import { threadComments } from "./PostPage";
import { splitMentions } from "./RichText";

describe("mentions", () => {
  it("splits @nicknames out of the text, ending at spaces and punctuation", () => {
    expect(splitMentions("周末去南山，@山城老王 一起吗？@小李。")).toEqual([
      { text: "周末去南山，", mention: false },
      { text: "@山城老王", mention: true },
      { text: " 一起吗？", mention: false },
      { text: "@小李", mention: true },
      { text: "。", mention: false },
    ]);
    expect(splitMentions("no mention")).toEqual([{ text: "no mention", mention: false }]);
  });
});

describe("comment threads", () => {
  it("groups replies under their comment, keeping order, and keeps orphans", () => {
    const threads = threadComments([
      { id: "1" },
      { id: "2" },
      { id: "3", parent: { id: "1" } },
      { id: "4", parent: { id: "99" } },
      { id: "5", parent: { id: "1" } },
    ]);
    expect(threads.map((t) => [t.comment.id, t.replies.map((r) => r.id)])).toEqual([
      ["1", ["3", "5"]],
      ["2", []],
      ["4", []],
    ]);
  });
});

describe("photos", () => {
  it("keeps at most nine and says how many were left out", () => {
    const file = (n: number) => new File(["x"], `p${n}.jpg`, { type: "image/jpeg" });
    const first = limitPhotos([], [1, 2, 3, 4, 5].map(file));
    expect(first).toMatchObject({ dropped: 0 });
    const second = limitPhotos(first.files, [6, 7, 8, 9, 10, 11].map(file));
    expect(second.files).toHaveLength(MAX_PHOTOS);
    expect(second.files.map((f) => f.name)).toEqual(["p1.jpg", "p2.jpg", "p3.jpg", "p4.jpg", "p5.jpg", "p6.jpg", "p7.jpg", "p8.jpg", "p9.jpg"]);
    expect(second.dropped).toBe(2);
  });
});

describe("level progress", () => {
  it("is the share of the way to the next level", () => {
    expect(levelProgress(450, 300, 700)).toBeCloseTo(0.375);
    expect(levelProgress(300, 300, 700)).toBe(0);
    expect(levelProgress(60000, 50000, null)).toBe(1);
  });
});

describe("after login", () => {
  it("goes back only to a path of the client", () => {
    expect(safeNext("/events/abc")).toBe("/events/abc");
    expect(safeNext("https://evil.example/")).toBe("/");
    expect(safeNext("//evil.example/")).toBe("/");
    expect(safeNext(null)).toBe("/");
  });
});
