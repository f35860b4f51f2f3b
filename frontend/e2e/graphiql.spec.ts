import { expect, test } from "./fixtures";

test("GraphiQL renders and runs { __typename } with no internet", async ({ page }, testInfo) => {
  const outside: string[] = [];
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    outside.push(url.href);
    return route.abort("internetdisconnected");
  });
  await page.goto(`/graphql/?query=${encodeURIComponent("{ __typename }")}`);
  await expect(page.locator(".graphiql-container")).toBeVisible();
  await page.locator(".graphiql-execute-button").click();
  await expect(page.locator(".graphiql-response")).toContainText('"__typename": "Query"');
  expect(outside, "requests that left the machine").toEqual([]);
  testInfo.annotations.push({ type: "project", description: testInfo.project.name });
});
