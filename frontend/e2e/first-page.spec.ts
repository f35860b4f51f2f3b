/**
 * The feed's first paint: for a signed-in owner the page itself carries the Viewer and Feed answers
 * (community/webclient.py embeds them, src/api/prefetch.ts hands them to urql), so the feed shows
 * its posts with no GraphQL request for those two, and a later refetch still goes to the API.
 */
import { expect, newUserContext, ownersFor, test } from "./fixtures";

function operationName(postData: string | null): string | null {
  try {
    return (JSON.parse(postData ?? "{}") as { operationName?: string }).operationName ?? null;
  } catch {
    return null;
  }
}

test("the feed renders from the page's embedded answers, with no request for Viewer or Feed", async ({ browser }, testInfo) => {
  const context = await newUserContext(browser, testInfo, ownersFor(testInfo).first);
  const page = await context.newPage();
  const sent: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/graphql/") && request.method() === "POST") sent.push(operationName(request.postData()) ?? "?");
  });
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto("/app/");
  expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
  expect(await page.locator('script#first-page-data[type="application/json"]').count()).toBe(1);
  await expect(page.getByTestId("post").first()).toBeVisible();
  // The viewer is known too: the compose button shows for a signed-in owner.
  await expect(page.locator('a[href="/app/posts/new"]').first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(sent.filter((name) => name === "Viewer" || name === "Feed")).toEqual([]);
  expect(violations).toEqual([]);

  // Another address of the client gets the viewer only; going back to the feed asks the API (spent once).
  await page.getByRole("link", { name: /活动|Events/ }).first().click();
  await expect(page).toHaveURL(/\/app\/events/);
  await page.goto("/app/events");
  await page.waitForLoadState("networkidle");
  expect(sent).not.toContain("Viewer");
  await page.getByRole("link", { name: /动态|Feed/ }).first().click();
  await expect(page.getByTestId("post").first()).toBeVisible();
  await expect.poll(() => sent.includes("Feed")).toBe(true);
  await context.close();
});

test("an anonymous visitor's page carries nothing and asks the API itself", async ({ page }) => {
  const sent: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/graphql/") && request.method() === "POST") sent.push(operationName(request.postData()) ?? "?");
  });
  await page.goto("/app/");
  expect(await page.locator("script#first-page-data").count()).toBe(0);
  await expect.poll(() => sent.includes("Viewer")).toBe(true);
});
