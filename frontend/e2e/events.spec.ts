import { createEvent, expect, gql, loginAs, newUserContext, ownersFor, screenshot, subscribed, test, tokenFor } from "./fixtures";

test("an owner signs up with a guest and another browser sees the seats left change live", async ({ page, browser, request }, testInfo) => {
  const { first, second } = ownersFor(testInfo);
  const event = await createEvent(request, { title: `南山夜游 ${testInfo.project.name}`, capacity: 12, startsInMinutes: 3 * 24 * 60 });

  const other = await newUserContext(browser, testInfo, second);
  const watcher = await other.newPage();
  const watching = subscribed(watcher, "EventSeatsLive");
  await watcher.goto(`/app/events/${event.id}`);
  await expect(watcher.getByTestId("seats-left")).toHaveText("剩余 12 / 12 个名额");
  await watching;

  await loginAs(page, first);
  await page.goto(`/app/events/${event.id}`);
  await page.getByLabel("同行亲友人数").fill("1");
  await page.getByRole("button", { name: "立即报名" }).click();
  await expect(page.getByRole("status").filter({ hasText: "报名成功" })).toBeVisible();
  await expect(page.getByTestId("my-signup")).toContainText("已报名");
  await expect(watcher.getByTestId("seats-left")).toHaveText("剩余 10 / 12 个名额", { timeout: 5000 });
  await screenshot(page, testInfo, "owner-event");

  // The sign-up is in "my events".
  await page.goto("/app/events?tab=mine");
  await expect(page.getByTestId("event-item").filter({ hasText: `南山夜游 ${testInfo.project.name}` })).toBeVisible();

  await page.goto(`/app/events/${event.id}`);
  await page.getByRole("button", { name: "取消报名" }).click();
  await expect(page.getByRole("status").filter({ hasText: "已取消报名" })).toBeVisible();
  await expect(watcher.getByTestId("seats-left")).toHaveText("剩余 12 / 12 个名额", { timeout: 5000 });
  await other.close();
});

test("a full event puts the owner on the waitlist with their position", async ({ page, request }, testInfo) => {
  const { first } = ownersFor(testInfo);
  const event = await createEvent(request, { title: `满员活动 ${testInfo.project.name}`, capacity: 1, startsInMinutes: 2 * 24 * 60 });
  const taker = await tokenFor(request, "owner006");
  await gql(request, "mutation($id: ID!) { signUpForEvent(input: {eventId: $id}) { errors { message } } }", { id: event.id }, taker);

  await loginAs(page, first);
  await page.goto(`/app/events/${event.id}`);
  await expect(page.getByTestId("seats-left")).toHaveText("剩余 0 / 1 个名额");
  await page.getByRole("button", { name: "加入候补" }).click();
  await expect(page.getByTestId("waitlist-position")).toHaveText("候补第 1 位");
});

test("an owner checks in at the venue with the event's code", async ({ page, request }, testInfo) => {
  const { first } = ownersFor(testInfo);
  const event = await createEvent(request, { title: `签到活动 ${testInfo.project.name}`, capacity: 10, startsInMinutes: 30 });
  await loginAs(page, first);
  await page.goto(`/app/events/${event.id}`);
  await page.getByRole("button", { name: "立即报名" }).click();
  await expect(page.getByTestId("my-signup")).toContainText("已报名");

  await page.getByLabel("签到码").fill("WRONG123");
  await page.getByRole("button", { name: "签到", exact: true }).click();
  await expect(page.locator(".field-error, .form-errors").first()).toBeVisible();
  await expect(page.getByLabel("签到码")).toHaveValue("WRONG123");

  await page.getByLabel("签到码").fill(event.checkInCode);
  await page.getByRole("button", { name: "签到", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "签到成功" })).toBeVisible();
});
