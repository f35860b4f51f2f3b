import { expectAccessible } from "./accessibility";
import { expect, gql, loginAs, newUserContext, ownersFor, screenshot, test, tokenFor } from "./fixtures";

const MATURITY = { NOVICE: "新手", GROWING: "成长", MATURE: "成熟" } as const;
const LIFECYCLE = { ACTIVE: "活跃", DECLINING: "下滑", LAPSED: "沉默", DORMANT: "流失" } as const;

interface Cell {
  maturity: keyof typeof MATURITY;
  lifecycle: keyof typeof LIFECYCLE;
  users: number;
}

test("an owner cannot open the console, and the API refuses them too", async ({ page, request }, testInfo) => {
  const { first } = ownersFor(testInfo);
  await loginAs(page, first);
  await expect(page.getByRole("link", { name: "品牌后台" })).toHaveCount(0);
  await page.goto("/app/brand/segments");
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByTestId("segment-heatmap")).toHaveCount(0);

  const response = await request.post("/graphql/", {
    headers: { Authorization: `Bearer ${await tokenFor(request, first)}` },
    data: { query: "{ segmentMatrix { total } moderationQueue(first: 1) { edges { node { id } } } }" },
  });
  const body = await response.json();
  expect(body.data.segmentMatrix).toBeNull();
  expect(body.data.moderationQueue).toBeNull();
  expect(body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(["FORBIDDEN", "FORBIDDEN"]);
});

test("the console's first page is accessible and leads to every section", async ({ page }, testInfo) => {
  await loginAs(page, "brand");
  await page.goto("/app/brand");
  await expect(page.getByRole("heading", { name: "品牌后台", level: 1 })).toBeVisible();
  await expect(page.getByTestId("console-figures")).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, "brand-console");
  for (const [name, heading] of [
    ["活动对比", "圈主活动与官方活动对比"],
    ["强关系", "从陌生人到强关系"],
    ["排行榜", "排行榜"],
    ["车友圈审核", "待审核的车友圈"],
  ]) {
    await page.getByRole("navigation", { name: "品牌后台" }).getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
  }
  await page.getByRole("navigation", { name: "品牌后台" }).getByRole("link", { name: "活动对比" }).click();
  await expect(page.getByTestId("comparison-rates").locator("svg").first()).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, "brand-events");
});

test("the heatmap shows 12 labelled cells whose counts equal the API's", async ({ page, request }, testInfo) => {
  const api = await gql<{ segmentMatrix: { total: number; cells: Cell[] } }>(
    request,
    "{ segmentMatrix { total cells { maturity lifecycle users } } }",
    {},
    await tokenFor(request, "brand"),
  );
  await loginAs(page, "brand");
  await page.goto("/app/brand/segments");
  const cells = page.getByTestId("segment-cell");
  await expect(cells).toHaveCount(12);
  for (const maturity of Object.keys(MATURITY) as Cell["maturity"][]) {
    for (const lifecycle of Object.keys(LIFECYCLE) as Cell["lifecycle"][]) {
      const users = api.segmentMatrix.cells.find((c) => c.maturity === maturity && c.lifecycle === lifecycle)?.users ?? 0;
      const cell = page.locator(`[data-testid="segment-cell"][data-maturity="${maturity}"][data-lifecycle="${lifecycle}"]`);
      await expect(cell).toHaveText(String(users));
      await expect(cell).toHaveAccessibleName(`${MATURITY[maturity]} · ${LIFECYCLE[lifecycle]}：${users} 人`);
    }
  }
  await expect(page.getByTestId("segment-total")).toContainText(`共 ${api.segmentMatrix.total} 位用户`);
  await expectAccessible(page);
  await screenshot(page, testInfo, "brand-segments");
});

test("a campaign to one cell shows how many were reached and how many the 7-day cap skipped", async ({ page, request }, testInfo) => {
  const api = await gql<{ segmentMatrix: { cells: Cell[] } }>(
    request,
    "{ segmentMatrix { cells { maturity lifecycle users } } }",
    {},
    await tokenFor(request, "brand"),
  );
  // Each project takes a different non-empty cell, so neither run's campaign caps the other's.
  const nonEmpty = api.segmentMatrix.cells.filter((cell) => cell.users > 0);
  expect(nonEmpty.length).toBeGreaterThan(1);
  const cell = nonEmpty[testInfo.project.name === "phone" ? 0 : 1];

  await loginAs(page, "brand");
  await page.goto("/app/brand/segments");
  await page.getByRole("button", { name: `${MATURITY[cell.maturity]} · ${LIFECYCLE[cell.lifecycle]}：${cell.users} 人` }).click();
  const drill = page.getByTestId("segment-drill");
  await expect(drill.getByTestId("segment-users").locator("li").first()).toBeVisible();

  // An empty message is refused next to the field.
  await drill.getByRole("button", { name: "发送" }).click();
  await expect(drill.getByLabel("消息内容")).toHaveAttribute("aria-invalid", "true");

  await drill.getByLabel("消息内容").fill(`周末车友节，老车主专享保养券 ${testInfo.project.name}`);
  await drill.getByRole("button", { name: "发送" }).click();
  const reached = Number(await drill.getByTestId("campaign-reached").innerText());
  const skipped = Number(await drill.getByTestId("campaign-skipped").innerText());
  expect(reached + skipped).toBe(cell.users);
  await screenshot(page, testInfo, "brand-campaign");

  // The same cell again within the week: everyone is skipped.
  await drill.getByRole("button", { name: "发送" }).click();
  await expect(drill.getByTestId("campaign-reached")).toHaveText("0");
  await expect(drill.getByTestId("campaign-skipped")).toHaveText(String(cell.users));
});

test("brand staff resolve a report and the post is gone from an owner's feed", async ({ page, browser, request }, testInfo) => {
  const { first: author, second: reader } = ownersFor(testInfo);
  const authorToken = await tokenFor(request, author);
  const readerToken = await tokenFor(request, reader);
  const text = `出二手轮毂，私聊加微信看图 ${testInfo.project.name} ${Date.now()}`;
  const created = await gql<{ createPost: { post: { id: string; status: string } | null; errors: unknown[] } }>(
    request,
    "mutation($body: String!) { createPost(input: {body: $body}) { post { id status } errors { field message } } }",
    { body: text },
    authorToken,
  );
  expect(created.createPost.errors).toEqual([]);
  const post = created.createPost.post!;
  expect(post.status).toBe("PUBLISHED");
  const me = await gql<{ me: { id: string } }>(request, "{ me { id } }", {}, authorToken);
  await gql(request, "mutation($id: ID!) { follow(input: {userId: $id}) { errors { code } } }", { id: me.me.id }, readerToken);

  const readerContext = await newUserContext(browser, testInfo, reader);
  const feed = await readerContext.newPage();
  await feed.goto("/app/");
  await expect(feed.getByTestId("feed").getByText(text)).toBeVisible();

  const reported = await gql<{ reportContent: { errors: unknown[] } }>(
    request,
    "mutation($id: ID!) { reportContent(input: {targetId: $id, reason: ADVERTISING, note: \"站外交易\"}) { errors { message } } }",
    { id: post.id },
    readerToken,
  );
  expect(reported.reportContent.errors).toEqual([]);

  await loginAs(page, "brand");
  await page.goto("/app/brand/moderation");
  const card = page.getByTestId("report").filter({ hasText: text });
  await expect(card).toBeVisible();
  await expect(card.getByTestId("report-target")).toContainText(text);
  await expect(card).toContainText("广告");
  await card.getByLabel("隐藏内容").check();
  await card.getByLabel("处理说明").fill("站外交易广告");
  await expectAccessible(page);
  await screenshot(page, testInfo, "brand-moderation");
  await card.getByRole("button", { name: "提交处理" }).click();
  await expect(page.getByTestId("report").filter({ hasText: text })).toHaveCount(0);

  await feed.reload();
  await expect(feed.getByTestId("feed")).toBeVisible();
  await expect(feed.getByTestId("post").first()).toBeVisible();
  await expect(feed.getByText(text)).toHaveCount(0);
  await readerContext.close();

  // The report is in the actioned list.
  await page.getByRole("button", { name: "已处理" }).click();
  await expect(page.getByTestId("report").filter({ hasText: text })).toContainText("已处理");
});
