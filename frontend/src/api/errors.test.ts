import { CombinedError } from "urql";
import { describe, expect, it } from "vitest";
import { hasErrors, mapPayloadErrors, operationErrorCode, operationErrorMessage } from "./errors";

const t = (key: string) => `t:${key}`;

describe("mapPayloadErrors", () => {
  it("puts each message next to its field and the rest above the form", () => {
    const mapped = mapPayloadErrors(
      [
        { field: "guests", code: "INVALID", message: "最多带 2 位亲友。" },
        { field: null, code: "CLOSED", message: "报名已截止。" },
        { field: "eventId", code: "NOT_FOUND", message: "活动不存在。" },
      ],
      ["guests"],
    );
    expect(mapped.fields).toEqual({ guests: "最多带 2 位亲友。" });
    expect(mapped.form).toEqual(["报名已截止。", "活动不存在。"]);
    expect(hasErrors(mapped)).toBe(true);
  });

  it("keeps the first message of a field and drops repeated form messages", () => {
    const mapped = mapPayloadErrors([
      { field: "body", code: "INVALID", message: "first" },
      { field: "body", code: "INVALID", message: "second" },
      { code: "RATE_LIMITED", message: "slow down" },
      { code: "RATE_LIMITED", message: "slow down" },
    ]);
    expect(mapped.fields).toEqual({ body: "first" });
    expect(mapped.form).toEqual(["slow down"]);
  });

  it("without a list of form fields every field is shown at its field", () => {
    expect(mapPayloadErrors([{ field: "anything", code: "INVALID", message: "m" }]).fields).toEqual({ anything: "m" });
  });

  it("nothing to show for no errors", () => {
    expect(hasErrors(mapPayloadErrors([]))).toBe(false);
    expect(hasErrors(mapPayloadErrors(undefined))).toBe(false);
  });
});

describe("operationErrorMessage", () => {
  it("shows the server's message of a top-level error", () => {
    const error = new CombinedError({ graphQLErrors: [{ message: "没有权限。", extensions: { code: "FORBIDDEN" } }] });
    expect(operationErrorMessage(error, t)).toBe("没有权限。");
    expect(operationErrorCode(error)).toBe("FORBIDDEN");
  });

  it("asks to log in for UNAUTHENTICATED and hides internal errors", () => {
    const unauthenticated = new CombinedError({ graphQLErrors: [{ message: "x", extensions: { code: "UNAUTHENTICATED" } }] });
    expect(operationErrorMessage(unauthenticated, t)).toBe("t:common:errors.unauthenticated");
    const internal = new CombinedError({ graphQLErrors: [{ message: "boom", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
    expect(operationErrorMessage(internal, t)).toBe("t:common:errors.server");
  });

  it("names network failures and refused uploads in the user's language", () => {
    expect(operationErrorMessage(new CombinedError({ networkError: new Error("offline") }), t)).toBe("t:common:errors.network");
    const tooLarge = new CombinedError({ networkError: new Error("413"), response: { status: 413 } });
    expect(operationErrorMessage(tooLarge, t)).toBe("t:common:errors.tooLarge");
  });

  it("nothing when there is no error", () => {
    expect(operationErrorMessage(undefined, t)).toBeNull();
    expect(operationErrorCode(null)).toBeNull();
  });
});
