import { expectAccessible } from "./accessibility";
import { expect, gql, loginAs, ownersFor, screenshot, test, tokenFor } from "./fixtures";

/** Owners no other test signs in as, one pair per project: an author and a reporter. */
function bystanders(project: string): { author: string; reporter: string } {
  return project === "phone" ? { author: "owner015", reporter: "owner016" } : { author: "owner017", reporter: "owner018" };
}

test("brand staff mute a reported author, see the mute, lift it, and read both in the audit log", async ({ page, request }, testInfo) => {
  const { author, reporter } = bystanders(testInfo.project.name);
  const brand = await tokenFor(request, "brand");
  const body = `端到端禁言测试 ${testInfo.project.name} ${Date.now()}`;
  const post = await gql<{ createPost: { post: { id: string } | null; errors: unknown[] } }>(
    request,
    "mutation($body: String!) { createPost(input: {body: $body}) { post { id } errors { code message } } }",
    { body },
    await tokenFor(request, author),
  );
  expect(post.createPost.errors).toEqual([]);
  const reported = await gql<{ reportContent: { report: { id: string }; errors: unknown[] } }>(
    request,
    "mutation($id: ID!) { reportContent(input: {targetId: $id, reason: SPAM}) { report { id } errors { code } } }",
    { id: post.createPost.post!.id },
    await tokenFor(request, reporter),
  );
  const note = `刷屏 ${testInfo.project.name} ${Date.now()}`;
  await gql(
    request,
    "mutation($id: ID!, $note: String) { resolveReport(input: {reportId: $id, decision: MUTE_AUTHOR, muteDays: 3, note: $note}) { errors { code } } }",
    { id: reported.reportContent.report.id, note },
    brand,
  );
  const nickname = (await gql<{ me: { nickname: string } }>(request, "{ me { nickname } }", {}, await tokenFor(request, author))).me.nickname;

  await loginAs(page, "brand");
  await page.goto("/app/brand/moderation/mutes");
  const mute = page.getByTestId("mute").filter({ hasText: nickname }).filter({ hasText: note });
  await expect(mute).toBeVisible();
  await expectAccessible(page);
  await mute.getByRole("button", { name: "解除禁言" }).click();
  await expect(page.getByTestId("mute-lifted")).toContainText(nickname);
  // The author may post again.
  const again = await gql<{ createPost: { errors: unknown[] } }>(
    request,
    "mutation($body: String!) { createPost(input: {body: $body}) { errors { code } } }",
    { body: `${body} 又来了` },
    await tokenFor(request, author),
  );
  expect(again.createPost.errors).toEqual([]);

  await page.getByRole("link", { name: "审核日志" }).click();
  const log = page.getByTestId("audit-log");
  await expect(log.getByTestId("log-entry").filter({ hasText: note }).filter({ hasText: "禁言作者" })).toBeVisible();
  await page.getByLabel("操作").selectOption("LIFT_MUTE");
  await expect(log.getByTestId("log-entry").first()).toContainText("解除禁言");
  await expect(log.getByTestId("log-entry").first()).toContainText(nickname);
  await expectAccessible(page);
  await screenshot(page, testInfo, "brand-audit-log");
});

test("brand staff verify a vehicle an owner added, and the owner becomes a verified owner", async ({ page, request }, testInfo) => {
  const { reporter: owner } = bystanders(testInfo.project.name);
  const model = `欧尚Z6 端到端 ${testInfo.project.name} ${Date.now()}`;
  const token = await tokenFor(request, owner);
  const added = await gql<{ addVehicle: { errors: unknown[] } }>(
    request,
    "mutation($model: String!) { addVehicle(input: {model: $model, category: PASSENGER}) { errors { code message } } }",
    { model },
    token,
  );
  expect(added.addVehicle.errors).toEqual([]);

  await loginAs(page, "brand");
  await page.goto("/app/brand");
  await page.getByRole("navigation", { name: "品牌后台" }).getByRole("link", { name: "车辆认证" }).click();
  await expect(page.getByRole("heading", { name: "车辆认证", level: 1 })).toBeVisible();
  const card = page.getByTestId("pending-vehicle").filter({ hasText: model });
  // Oldest first: page on with the API's cursors until the new one shows.
  for (let pages = 0; pages < 20 && !(await card.isVisible()); pages++) {
    const more = page.getByRole("button", { name: "更多" });
    if (!(await more.isVisible())) break;
    await more.click();
    await page.waitForTimeout(300);
  }
  await expect(card).toBeVisible();
  await card.getByRole("button", { name: "认证" }).click();
  // The page says so, and the vehicle leaves the queue (the list refetches).
  await expect(page.getByTestId("vehicle-verified")).toContainText(model);
  const me = await gql<{ me: { isVerifiedOwner: boolean; vehicles: { model: string; verified: boolean }[] } }>(
    request,
    "{ me { isVerifiedOwner vehicles { model verified } } }",
    {},
    token,
  );
  expect(me.me.isVerifiedOwner).toBe(true);
  expect(me.me.vehicles.find((vehicle) => vehicle.model === model)?.verified).toBe(true);
  await expectAccessible(page);
});

test("an owner finds people and posts from the header, and opens someone's followers", async ({ page, request }, testInfo) => {
  const { first, second } = ownersFor(testInfo);
  const other = await gql<{ me: { id: string; nickname: string } }>(request, "{ me { id nickname } }", {}, await tokenFor(request, second));
  await gql(
    request,
    "mutation($id: ID!) { follow(input: {userId: $id}) { errors { code } } }",
    { id: other.me.id },
    await tokenFor(request, first),
  );
  const mine = await gql<{ me: { nickname: string } }>(request, "{ me { nickname } }", {}, await tokenFor(request, first));

  await loginAs(page, first);
  await page.getByRole("link", { name: "搜索" }).click();
  await expect(page.getByRole("heading", { name: "搜索", level: 1 })).toBeVisible();
  await page.getByRole("searchbox", { name: "搜索车友或动态" }).fill(other.me.nickname);
  await page.getByRole("button", { name: "搜索", exact: true }).click();
  const row = page.getByTestId("user-row").filter({ hasText: other.me.nickname }).first();
  await expect(row).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, "owner-search");

  await row.getByRole("link").click();
  await expect(page.getByRole("heading", { name: other.me.nickname, level: 1 })).toBeVisible();
  await page.getByRole("link", { name: /粉丝/ }).click();
  await expect(page.getByRole("heading", { name: `关注 ${other.me.nickname} 的人` })).toBeVisible();
  await expect(page.getByTestId("followers-list").getByTestId("user-row").filter({ hasText: mine.me.nickname })).toBeVisible();
  await expectAccessible(page);

  // Posts: the search's other tab, with what was typed kept.
  await page.goto(`/app/search?q=${encodeURIComponent("洗车")}&type=posts`);
  await expect(page.getByRole("searchbox")).toHaveValue("洗车");
  await expect(page.getByTestId("search-posts").or(page.getByText("没有包含“洗车”的动态。")).first()).toBeVisible();
});

test("the API's own refusals of a bad query carry a code and speak the user's language", async ({ request }) => {
  for (const [language, message] of [
    ["zh-Hans", "类型 Query 没有字段 nope。"],
    ["en", "The type Query has no field nope."],
  ]) {
    const response = await request.post("/graphql/", { headers: { "Accept-Language": language }, data: { query: "{ nope }" } });
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(body.errors[0].message).toBe(message);
  }
  const parse = await (await request.post("/graphql/", { data: { query: "{ me { " } })).json();
  expect(parse.errors[0].extensions.code).toBe("GRAPHQL_PARSE_FAILED");
});
