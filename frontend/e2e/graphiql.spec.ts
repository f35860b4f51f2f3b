import { expect, test } from "./fixtures";

test("GraphiQL renders and runs { __typename } with no internet", async ({ page }, testInfo) => {
  const outside: string[] = [];
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    outside.push(url.href);
    return route.abort("internetdisconnected");
  });
  // GraphiQL runs a query only once it holds the schema: wait for its introspection before pressing run
  // (on a slow machine the button is visible well before that, and a press then does nothing).
  const schemaLoaded = page.waitForResponse(
    (response) =>
      response.url().endsWith("/graphql/") &&
      response.request().method() === "POST" &&
      (response.request().postData() ?? "").includes("IntrospectionQuery"),
  );
  await page.goto(`/graphql/?query=${encodeURIComponent("{ __typename }")}`);
  await expect(page.locator(".graphiql-container")).toBeVisible();
  await schemaLoaded;
  await page.locator(".graphiql-execute-button").click();
  await expect(page.locator(".graphiql-response")).toContainText('"__typename": "Query"');
  expect(outside, "requests that left the machine").toEqual([]);
  testInfo.annotations.push({ type: "project", description: testInfo.project.name });
});
