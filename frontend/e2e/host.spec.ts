import type { APIRequestContext } from "@playwright/test";
import { expectAccessible } from "./accessibility";
import { DEMO_PASSWORD, expect, gql, loginAs, newUserContext, screenshot, test, tokenFor } from "./fixtures";

/** A new APPROVAL circle hosted by owner001 and approved by brand staff, for one test. */
async function approvalCircle(request: APIRequestContext, name: string): Promise<string> {
  const host = await tokenFor(request, "owner001");
  const created = await gql<{ createCircle: { circle: { id: string } | null; errors: unknown[] } }>(
    request,
    `mutation($input: CreateCircleInput!) { createCircle(input: $input) { circle { id } errors { field message } } }`,
    {
      input: {
        name,
        description: "端到端测试：需要圈主审批才能加入的车友圈。",
        kind: "INTEREST",
        city: "重庆",
        joinPolicy: "APPROVAL",
        visibility: "PRIVATE",
      },
    },
    host,
  );
  expect(created.createCircle.errors).toEqual([]);
  const id = created.createCircle.circle!.id;
  const brand = await tokenFor(request, "brand");
  const reviewed = await gql<{ reviewCircle: { errors: unknown[] } }>(
    request,
    "mutation($id: ID!) { reviewCircle(input: {circleId: $id, approve: true}) { errors { message } } }",
    { id },
    brand,
  );
  expect(reviewed.reviewCircle.errors).toEqual([]);
  return id;
}

/** A fresh account (new users have no circles, so what they see is only what this test did). */
async function newMember(request: APIRequestContext, prefix: string): Promise<{ username: string; nickname: string }> {
  const username = `${prefix}${Date.now().toString(36)}`;
  const nickname = `新车友${username.slice(-5)}`;
  const registered = await gql<{ register: { errors: unknown[] } }>(
    request,
    "mutation($input: RegisterInput!) { register(input: $input) { token errors { field message } } }",
    { input: { username, password: DEMO_PASSWORD, nickname, city: "重庆" } },
  );
  expect(registered.register.errors).toEqual([]);
  return { username, nickname };
}

async function circleId(request: APIRequestContext, name: string): Promise<string> {
  const data = await gql<{ circles: { edges: { node: { id: string } }[] } }>(
    request,
    "query($name: String!) { circles(first: 1, search: $name) { edges { node { id } } } }",
    { name },
  );
  return data.circles.edges[0].node.id;
}

test("a host approves a join request and the member sees the circle", async ({ page, browser, request }, testInfo) => {
  const name = `审批圈${testInfo.project.name}${Date.now() % 1_000_000}`;
  const id = await approvalCircle(request, name);
  const member = await newMember(request, `join_${testInfo.project.name}_`);

  // The newcomer asks to join from the circle's page.
  const memberContext = await newUserContext(browser, testInfo, member.username);
  const memberPage = await memberContext.newPage();
  await memberPage.goto(`/app/circles/${id}`);
  await memberPage.getByRole("button", { name: "申请加入" }).click();
  await expect(memberPage.getByText("已申请，等待圈主审核").or(memberPage.getByText("申请已提交，圈主审核后即可加入。"))).toBeVisible();

  // The host finds the request in the host area and approves it.
  await loginAs(page, "owner001");
  await page.goto("/app/host");
  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await page.getByRole("link", { name: /入圈申请/ }).click();
  const request_ = page.getByTestId("join-request").filter({ hasText: member.nickname });
  await expect(request_).toBeVisible();
  await request_.getByRole("button", { name: `通过 ${member.nickname} 的申请` }).click();
  await expect(page.getByTestId("join-request").filter({ hasText: member.nickname })).toHaveCount(0);
  await expect(page.getByText("没有待审批的入圈申请。")).toBeVisible();

  // The member now sees the circle as theirs: the role, the chat, and the private circle's posts.
  await memberPage.reload();
  await expect(memberPage.getByRole("link", { name: "进入群聊" })).toBeVisible();
  await expect(memberPage.locator(".tag-ok", { hasText: "成员" })).toBeVisible();
  const members = await gql<{ circle: { members: { edges: { node: { user: { nickname: string } } }[] } } }>(
    request,
    "query($id: ID!) { circle(id: $id) { members(first: 10) { edges { node { user { nickname } } } } } }",
    { id },
    await tokenFor(request, "owner001"),
  );
  expect(members.circle.members.edges.map((edge) => edge.node.user.nickname)).toContain(member.nickname);
  await memberContext.close();
});

test("the host area's circle page: figures, members, invites with a link and QR code, accessible", async ({ page, request }, testInfo) => {
  const id = await circleId(request, "重庆欧尚车友会");
  await loginAs(page, "owner001");
  await page.goto("/app/host");
  await expect(page.getByRole("heading", { name: "我管理的车友圈" })).toBeVisible();
  await expect(page.getByTestId("hosted-circles").getByRole("link", { name: "重庆欧尚车友会" })).toBeVisible();
  await expectAccessible(page);

  await page.goto(`/app/host/circles/${encodeURIComponent(id)}`);
  await expect(page.getByTestId("circle-dashboard")).toBeVisible();
  const chart = page.getByTestId("membership-chart");
  await expect(chart.locator("svg").first()).toBeVisible();
  // The chart's figures are the API's.
  const figures = await gql<{
    circle: { dashboard: { weeks: { joined: number; activeMembers: number; events: number; messages: number }[]; activeMembersThisWeek: number } };
  }>(
    request,
    "query($id: ID!) { circle(id: $id) { dashboard(weeks: 8) { weeks { joined activeMembers events messages } activeMembersThisWeek } } }",
    { id },
    await tokenFor(request, "owner001"),
  );
  await expect(page.getByTestId("stat-active")).toContainText(String(figures.circle.dashboard.activeMembersThisWeek));
  await chart.getByText("查看数据表").click();
  const joinedCells = chart.locator("tbody tr td:nth-child(2)");
  await expect(joinedCells).toHaveText(figures.circle.dashboard.weeks.map((week) => String(week.joined)));
  // Active members, events and messages per week: a second chart, with the API's figures too.
  const activity = page.getByTestId("activity-chart");
  await expect(activity.locator("svg").first()).toBeVisible();
  await activity.getByText("查看数据表").click();
  const weeks = figures.circle.dashboard.weeks;
  await expect(activity.locator("tbody tr td:nth-child(2)")).toHaveText(weeks.map((week) => String(week.activeMembers)));
  await expect(activity.locator("tbody tr td:nth-child(3)")).toHaveText(weeks.map((week) => String(week.events)));
  await expect(activity.locator("tbody tr td:nth-child(4)")).toHaveText(weeks.map((week) => String(week.messages)));
  await expectAccessible(page);
  await screenshot(page, testInfo, "host-dashboard");

  await page.getByRole("link", { name: "成员", exact: true }).click();
  await expect(page.getByTestId("member").first()).toBeVisible();
  await expect(page.getByTestId("member").filter({ hasText: "圈主" }).first()).toBeVisible();

  await page.getByRole("link", { name: "邀请", exact: true }).click();
  await page.getByLabel("可用次数").fill("0");
  await page.getByRole("button", { name: "生成邀请链接" }).click();
  // The API refuses 0 uses next to the field; what was typed stays.
  await expect(page.locator(".field-error").first()).toBeVisible();
  await expect(page.getByLabel("可用次数")).toHaveValue("0");
  await page.getByLabel("可用次数").fill("5");
  await page.getByRole("button", { name: "生成邀请链接" }).click();
  const invite = page.getByTestId("invite").first();
  await expect(invite.getByTestId("invite-qr")).toBeVisible();
  const link = await invite.getByLabel("邀请链接").inputValue();
  expect(link).toContain(`/app/circles/${encodeURIComponent(id)}?invite=`);
  await expect(invite).toContainText("已使用 0 / 5 次");
  await expectAccessible(page);
  await screenshot(page, testInfo, "host-invites");
});

test("a host creates an event, keeps what was typed on an error, publishes it and checks an attendee in", async ({ page, request }, testInfo) => {
  const id = await circleId(request, "重庆欧尚车友会");
  const attendee = testInfo.project.name === "phone" ? "owner007" : "owner008";
  await loginAs(page, "owner001");
  await page.goto(`/app/host/circles/${encodeURIComponent(id)}/events/new`);
  const title = `圈主活动 ${testInfo.project.name} ${Date.now() % 100000}`;
  await page.getByLabel("活动名称").fill(title);
  await page.getByLabel("活动介绍").fill("洪崖洞夜景拍照，结束后一起吃火锅。");
  // Ends before it starts: refused next to the end field, the rest kept.
  const local = (minutes: number) =>
    new Date(Date.now() + 8 * 3600_000 + minutes * 60_000).toISOString().slice(0, 16); // Shanghai wall clock
  await page.getByLabel("开始时间").fill(local(30));
  await page.getByLabel("结束时间").fill(local(10));
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByLabel("结束时间")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("活动名称")).toHaveValue(title);
  await page.getByLabel("结束时间").fill(local(180));
  await page.getByRole("button", { name: "保存草稿" }).click();

  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await expect(page.getByTestId("host-event")).toContainText("草稿");
  await page.getByRole("button", { name: "发布", exact: true }).click();
  await expect(page.getByTestId("host-event").locator(".status-published")).toBeVisible();
  await expect(page.getByTestId("check-in-code")).not.toBeEmpty();

  // Someone signs up; the host checks them in from the list, and the export lists them.
  const eventId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
  const signed = await gql<{ signUpForEvent: { errors: unknown[] } }>(
    request,
    "mutation($id: ID!) { signUpForEvent(input: {eventId: $id}) { errors { message } } }",
    { id: eventId },
    await tokenFor(request, attendee),
  );
  expect(signed.signUpForEvent.errors).toEqual([]);
  await expect(page.getByTestId("confirmed-seats")).toHaveText("1", { timeout: 5000 });
  await page.reload();
  const row = page.getByTestId("attendee").first();
  await row.getByRole("button", { name: /^为 .* 签到$/ }).click();
  await expect(row).toContainText("已签到");
  const csvUrl = await page.getByRole("link", { name: "导出 CSV" }).getAttribute("href");
  const csv = await page.request.get(csvUrl!);
  expect(csv.ok()).toBe(true);
  expect(await csv.text()).toContain(attendee);
});
