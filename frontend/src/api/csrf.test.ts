/** @vitest-environment jsdom */
import { describe, expect, it } from "vitest";
import { requestHeaders, websocketUrl } from "./client";
import { csrfHeaders, readCookie } from "./csrf";

describe("readCookie", () => {
  it("finds a cookie among others, with spaces and encoded values", () => {
    const cookies = "sessionid=abc; csrftoken=Xy%3D12 ;theme=dark";
    expect(readCookie("csrftoken", cookies)).toBe("Xy=12");
    expect(readCookie("sessionid", cookies)).toBe("abc");
    expect(readCookie("missing", cookies)).toBeNull();
  });

  it("does not match a cookie whose name only ends with the one asked for", () => {
    expect(readCookie("csrftoken", "notcsrftoken=evil")).toBeNull();
  });
});

describe("headers", () => {
  it("sends X-CSRFToken only when the cookie is there", () => {
    expect(csrfHeaders("csrftoken=t0k3n")).toEqual({ "X-CSRFToken": "t0k3n" });
    expect(csrfHeaders("")).toEqual({});
  });

  it("reads the token on every request: login rotates it", () => {
    document.cookie = "csrftoken=before";
    expect(requestHeaders("zh-Hans")["X-CSRFToken"]).toBe("before");
    document.cookie = "csrftoken=after";
    expect(requestHeaders("en")).toEqual({ "Accept-Language": "en", "X-CSRFToken": "after" });
  });

  it("opens the socket on the page's own origin, wss behind https", () => {
    expect(websocketUrl({ protocol: "http:", host: "127.0.0.1:8000" })).toBe("ws://127.0.0.1:8000/graphql/");
    expect(websocketUrl({ protocol: "https:", host: "community.example.com" })).toBe("wss://community.example.com/graphql/");
  });
});
