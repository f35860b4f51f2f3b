/**
 * Editing and the account in the browser: an author edits a post and a comment, a host edits an
 * event (a refused capacity shows next to its field with the value kept), password change, contact
 * verification and password reset with codes read from the mailed messages, and notification
 * preferences that persist, a host deleting a chat message that vanishes live for a member. Each test
 * makes its own owner, so no demo user's state is touched (owner001 hosts, as in the other specs).
 */
import { request as requestFactory, type APIRequestContext, type Page } from "@playwright/test";
import { createEvent, DEMO_PASSWORD, expect, gql, loginAs, mailedCode, newUserContext, screenshot, subscribed, test, tokenFor } from "./fixtures";

/**
 * A fresh account and its bearer token, registered from a throwaway request context: the session
 * cookie `register` starts must not stick to the test's `request`, whose calls would then need CSRF.
 */
async function newOwner(_request: APIRequestContext, prefix: string): Promise<{ username: string; nickname: string; token: string }> {
  const username = `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
  const nickname = `车友${username.slice(-6)}`;
  const isolated = await requestFactory.newContext({ baseURL: `http://127.0.0.1:${process.env.E2E_PORT}` });
  try {
    const data = await gql<{ register: { token: string | null; errors: unknown[] } }>(
      isolated,
      "mutation($input: RegisterInput!) { register(input: $input) { token errors { field message } } }",
      { input: { username, password: DEMO_PASSWORD, nickname, city: "重庆" } },
    );
    expect(data.register.errors).toEqual([]);
    return { username, nickname, token: data.register.token! };
  } finally {
    await isolated.dispose();
  }
}

async function signOut(page: Page): Promise<void> {
  await page.context().clearCookies();
}

test("an author edits a post and a comment in place and sees them marked edited", async ({ page, request }, testInfo) => {
  const author = await newOwner(request, `edit_${testInfo.project.name}_`);
  const created = await gql<{ createPost: { post: { id: string } | null; errors: unknown[] } }>(
    request,
    "mutation($input: CreatePostInput!) { createPost(input: $input) { post { id } errors { field message } } }",
    { input: { kind: "ARTICLE", title: "周末洗车心得", body: "先冲水再打泡沫。" } },
    author.token,
  );
  expect(created.createPost.errors).toEqual([]);
  const postId = created.createPost.post!.id;
  const commented = await gql<{ addComment: { errors: unknown[] } }>(
    request,
    "mutation($input: AddCommentInput!) { addComment(input: $input) { comment { id } errors { field message } } }",
    { input: { postId, body: "补充：用两个桶。" } },
    author.token,
  );
  expect(commented.addComment.errors).toEqual([]);

  await loginAs(page, author.username);
  await page.goto(`/app/posts/${postId}`);
  const post = page.getByTestId("post");
  await expect(post.getByRole("heading", { name: "周末洗车心得" })).toBeVisible();
  await expect(post.getByTestId("edited")).toHaveCount(0);
  await post.getByRole("button", { name: "编辑", exact: true }).click();
  const form = post.getByTestId("post-edit-form");
  await form.getByLabel("标题").fill("周末洗车心得（更新）");
  await form.getByLabel("正文").fill("先冲水，再打泡沫，最后擦干。");
  await form.getByRole("button", { name: "保存" }).click();
  await expect(post.getByRole("heading", { name: "周末洗车心得（更新）" })).toBeVisible();
  await expect(post.getByText("先冲水，再打泡沫，最后擦干。")).toBeVisible();
  await expect(post.getByTestId("edited")).toContainText("已编辑");

  const comment = page.getByTestId("comment").filter({ hasText: "补充" });
  await comment.getByRole("button", { name: "编辑", exact: true }).click();
  await comment.getByLabel("评论").fill("补充：用两个桶，一个清水一个泡沫。");
  await comment.getByRole("button", { name: "保存" }).click();
  await expect(comment.getByText("补充：用两个桶，一个清水一个泡沫。")).toBeVisible();
  await expect(comment.getByTestId("edited")).toContainText("已编辑");

  // Still there after a reload: the API kept the edit and its time.
  await page.reload();
  await expect(page.getByTestId("post").getByTestId("edited")).toBeVisible();
  await expect(page.getByTestId("comment").getByTestId("edited")).toBeVisible();
  await screenshot(page, testInfo, "account-post-edited");

  // The author deletes the comment; the count follows.
  await expect(page.getByTestId("post").getByText("1 评论")).toBeVisible();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByTestId("comment").getByRole("button", { name: "删除" }).click();
  await expect(page.getByTestId("comment")).toHaveCount(0);
  await expect(page.getByTestId("post").getByText("0 评论")).toBeVisible();
});

test("a host edits an event: a refused capacity shows next to its field with the value kept", async ({ page, request }, testInfo) => {
  const event = await createEvent(request, { title: `改名额活动 ${testInfo.project.name}`, capacity: 5, startsInMinutes: 4 * 24 * 60 });
  const guest = await newOwner(request, `seat_${testInfo.project.name}_`);
  const signup = await gql<{ signUpForEvent: { errors: unknown[] } }>(
    request,
    "mutation($id: ID!) { signUpForEvent(input: {eventId: $id, guests: 2}) { signup { id } errors { field message } } }",
    { id: event.id },
    guest.token,
  );
  expect(signup.signUpForEvent.errors).toEqual([]);
  const host = await tokenFor(request, "owner001");
  const circle = await gql<{ event: { circle: { id: string } } }>(request, "query($id: ID!) { event(id: $id) { circle { id } } }", { id: event.id }, host);

  await loginAs(page, "owner001");
  await page.goto(`/app/host/circles/${circle.event.circle.id}/events/${event.id}`);
  await page.getByRole("link", { name: "编辑活动" }).click();
  const form = page.getByTestId("event-edit-form");
  const capacity = form.getByLabel("名额（座位）");
  await expect(capacity).toHaveValue("5");
  await capacity.fill("2");
  await form.getByLabel("集合地点").fill("南滨路 88 号");
  await form.getByRole("button", { name: "保存修改" }).click();
  const capacityField = form.locator(".field").filter({ has: page.getByLabel("名额（座位）") });
  await expect(capacityField.locator(".field-error")).toContainText("3");
  await expect(capacity).toHaveValue("2");
  await expect(capacity).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("集合地点")).toHaveValue("南滨路 88 号");
  await screenshot(page, testInfo, "account-event-capacity-error");

  await capacity.fill("8");
  await form.getByRole("button", { name: "保存修改" }).click();
  await expect(form.getByRole("status")).toContainText("已保存");
  await expect(capacityField.locator(".field-error")).toHaveCount(0);
  const saved = await gql<{ event: { capacity: number; address: string } }>(request, "query($id: ID!) { event(id: $id) { capacity address } }", { id: event.id }, host);
  expect(saved.event).toEqual({ capacity: 8, address: "南滨路 88 号" });
});

test("an owner changes the password and logs in with the new one", async ({ page, request }, testInfo) => {
  const owner = await newOwner(request, `pw_${testInfo.project.name}_`);
  await loginAs(page, owner.username);
  await page.goto("/app/me");
  await page.getByRole("link", { name: "账号设置" }).click();
  await expect(page.getByRole("heading", { name: "账号设置", level: 1 })).toBeVisible();
  const section = page.locator("section").filter({ has: page.getByRole("heading", { name: "修改密码" }) });
  await section.getByLabel("当前密码").fill("not-my-password");
  await section.getByLabel("新密码", { exact: true }).fill("qingshui-river-2027");
  await section.getByLabel("再次输入新密码").fill("qingshui-river-2027");
  await section.getByRole("button", { name: "修改密码" }).click();
  // Wrong current password: said next to that field, the new ones kept.
  await expect(section.locator(".field-error")).toHaveCount(1);
  await expect(section.getByLabel("新密码", { exact: true })).toHaveValue("qingshui-river-2027");
  await section.getByLabel("当前密码").fill(DEMO_PASSWORD);
  await section.getByRole("button", { name: "修改密码" }).click();
  await expect(section.getByRole("status")).toContainText("密码已修改");

  await signOut(page);
  await page.goto("/app/login");
  await page.locator('input[name="username"]').fill(owner.username);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await page.locator('button[type="submit"]').click();
  await expect(page.locator(".field-error, .form-errors").first()).toBeVisible();
  await loginAs(page, owner.username, "qingshui-river-2027");
});

test("notification preferences persist after a reload", async ({ page, request }, testInfo) => {
  const owner = await newOwner(request, `pref_${testInfo.project.name}_`);
  await loginAs(page, owner.username);
  await page.goto("/app/me/settings");
  const likesLive = page.getByLabel("点赞：实时推送");
  await expect(likesLive).toBeChecked();
  await likesLive.uncheck();
  await page.getByLabel("不接收品牌活动推送").check();
  await page.locator('input[name="quietStart"]').fill("22:30");
  await page.getByRole("button", { name: "保存通知设置" }).click();
  // Half a window is refused before it is sent.
  await expect(page.getByText("请同时填写开始和结束时间，或都不填。")).toBeVisible();
  await page.locator('input[name="quietEnd"]').fill("07:00");
  await page.getByRole("button", { name: "保存通知设置" }).click();
  await expect(page.getByText("通知设置已保存。")).toBeVisible();
  await screenshot(page, testInfo, "account-settings");

  await page.reload();
  await expect(page.getByLabel("点赞：实时推送")).not.toBeChecked();
  await expect(page.getByLabel("点赞：保留在收件箱")).toBeChecked();
  await expect(page.getByLabel("不接收品牌活动推送")).toBeChecked();
  await expect(page.locator('input[name="quietStart"]')).toHaveValue("22:30");
  await expect(page.locator('input[name="quietEnd"]')).toHaveValue("07:00");
  const stored = await gql<{ notificationPreferences: { campaignOptOut: boolean; kinds: { kind: string; push: boolean }[] } }>(
    request,
    "query { notificationPreferences { campaignOptOut kinds { kind push } } }",
    {},
    owner.token,
  );
  expect(stored.notificationPreferences.campaignOptOut).toBe(true);
  expect(stored.notificationPreferences.kinds.find((k) => k.kind === "LIKED")?.push).toBe(false);
});

test("an owner verifies an email, forgets the password and resets it with a mailed code", async ({ page, request }, testInfo) => {
  const owner = await newOwner(request, `reset_${testInfo.project.name}_`);
  const email = `${owner.username}@example.com`;
  await loginAs(page, owner.username);
  await page.goto("/app/me/settings");
  const contacts = page.locator("section").filter({ has: page.getByRole("heading", { name: "手机号和邮箱" }) });
  await contacts.getByLabel("手机号或邮箱").fill(email);
  await contacts.getByRole("button", { name: "添加并发送验证码" }).click();
  const row = contacts.getByTestId("contact").filter({ hasText: email });
  await expect(row.getByText("未验证")).toBeVisible();
  await row.getByLabel(`${email} 的验证码`).fill("000000");
  await row.getByRole("button", { name: "验证", exact: true }).click();
  await expect(row.locator(".field-error")).toBeVisible();
  await row.getByLabel(`${email} 的验证码`).fill(await mailedCode(email));
  await row.getByRole("button", { name: "验证", exact: true }).click();
  await expect(row.getByText("已验证")).toBeVisible();

  await signOut(page);
  await page.goto("/app/login");
  await page.getByRole("link", { name: "忘记密码？" }).click();
  await expect(page.getByRole("heading", { name: "重置密码" })).toBeVisible();

  // An address no account has gets the very same answer.
  await page.getByLabel("手机号或邮箱").fill(`nobody-${owner.username}@example.com`);
  await page.getByRole("button", { name: "发送验证码" }).click();
  await expect(page.getByRole("status")).toContainText(`如果 nobody-${owner.username}@example.com 已在某个账号上验证`);
  await page.getByRole("button", { name: "换一个手机号或邮箱" }).click();

  const before = Date.now() - 1000;
  await page.getByLabel("手机号或邮箱").fill(email);
  await page.getByRole("button", { name: "发送验证码" }).click();
  await expect(page.getByRole("status")).toContainText(`如果 ${email} 已在某个账号上验证`);
  await page.getByLabel("验证码").fill(await mailedCode(email, before));
  await page.getByLabel("新密码").fill("jialing-bridge-2027");
  await page.getByRole("button", { name: "设置新密码" }).click();
  await expect(page.getByRole("status")).toContainText("密码已修改");

  await signOut(page);
  await loginAs(page, owner.username, "jialing-bridge-2027");
});

test("a host deletes a chat message and it vanishes live from a member's chat", async ({ page, browser, request }, testInfo) => {
  test.setTimeout(120_000);
  const member = await newOwner(request, `chat_${testInfo.project.name}_`);
  const circles = await gql<{ circles: { edges: { node: { id: string } }[] } }>(
    request,
    'query { circles(first: 1, search: "重庆欧尚车友会") { edges { node { id } } } }',
  );
  const circleId = circles.circles.edges[0].node.id;
  const joined = await gql<{ joinCircle: { errors: unknown[] } }>(
    request,
    "mutation($id: ID!) { joinCircle(input: {circleId: $id}) { errors { code message } } }",
    { id: circleId },
    member.token,
  );
  expect(joined.joinCircle.errors).toEqual([]);
  const text = `周末有人去南山吗 ${testInfo.project.name} ${Date.now()}`;
  const sent = await gql<{ sendChatMessage: { errors: unknown[] } }>(
    request,
    "mutation($input: SendChatMessageInput!) { sendChatMessage(input: $input) { message { id } errors { code message } } }",
    { input: { circleId, body: text } },
    member.token,
  );
  expect(sent.sendChatMessage.errors).toEqual([]);

  const memberContext = await newUserContext(browser, testInfo, member.username);
  const reader = await memberContext.newPage();
  const listening = subscribed(reader, "ChatLive");
  await reader.goto(`/app/circles/${circleId}/chat`);
  await expect(reader.getByTestId("chat-message").filter({ hasText: text })).toBeVisible();
  await listening;
  // A member is offered no delete button.
  await expect(reader.getByTestId("chat-message").filter({ hasText: text }).getByRole("button", { name: "删除" })).toHaveCount(0);

  await loginAs(page, "owner001");
  await page.goto(`/app/circles/${circleId}/chat`);
  const message = page.getByTestId("chat-message").filter({ hasText: text });
  page.once("dialog", (dialog) => void dialog.accept());
  await message.getByRole("button", { name: "删除" }).click();
  await expect(page.getByTestId("chat-message").filter({ hasText: text })).toHaveCount(0);
  await expect(reader.getByTestId("chat-message").filter({ hasText: text })).toHaveCount(0);
  await memberContext.close();
});
