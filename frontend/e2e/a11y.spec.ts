import AxeBuilder from "@axe-core/playwright";
import { expect, gql, loginAs, ownersFor, screenshot, test, tokenFor } from "./fixtures";

async function firstId(request: Parameters<typeof gql>[0], query: string, field: string): Promise<string> {
  const data = await gql<Record<string, { edges: { node: { id: string } }[] }>>(request, query);
  return data[field].edges[0].node.id;
}

test("the owner's main pages have no serious or critical accessibility violations", async ({ page, request }, testInfo) => {
  test.setTimeout(240_000);
  const { first } = ownersFor(testInfo);
  const circle = await firstId(request, 'query { circles(first: 1, search: "重庆欧尚车友会") { edges { node { id } } } }', "circles");
  const event = await firstId(request, "query { events(first: 1, upcoming: true) { edges { node { id } } } }", "events");
  // Someone else, for their page and the (empty) conversation with them.
  const other = await gql<{ me: { id: string } }>(request, "{ me { id } }", {}, await tokenFor(request, "owner001"));
  const otherId = encodeURIComponent(other.me.id);
  await page.goto("/app/login");
  const pages: Array<[string, string]> = [["login", "/app/login"]];
  await loginAs(page, first);
  pages.push(
    ["feed", "/app/"],
    ["circles", "/app/circles"],
    ["circle", `/app/circles/${circle}`],
    ["chat", `/app/circles/${circle}/chat`],
    ["events", "/app/events"],
    ["event", `/app/events/${event}`],
    ["notifications", "/app/notifications"],
    ["points", "/app/points"],
    ["mall", "/app/points/mall"],
    ["leaderboard", "/app/points/leaderboard"],
    ["ties", "/app/ties"],
    ["me", "/app/me"],
    ["compose", "/app/posts/new"],
    ["settings", "/app/me/settings"],
    ["forgot", "/app/login/forgot"],
    ["messages", "/app/messages"],
    ["conversation", `/app/messages/${otherId}`],
    ["user", `/app/users/${otherId}`],
    ["blocked", "/app/me/blocked"],
  );
  const report: string[] = [];
  for (const [name, path] of pages) {
    await page.goto(path);
    await expect(page.locator("main h1").first()).toBeVisible();
    await expect(page.locator(".state-loading")).toHaveCount(0);
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    for (const violation of bad) {
      report.push(`${name}: ${violation.id} (${violation.impact}) ${violation.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    }
    if (["feed", "circles", "points", "me", "events", "notifications"].includes(name)) await screenshot(page, testInfo, `owner-${name}`);
  }
  expect(report).toEqual([]);
});
