import { request as requestFactory, type APIRequestContext } from "@playwright/test";
import { DEMO_PASSWORD, expect, gql, newUserContext, screenshot, subscribed, test } from "./fixtures";

interface Person {
  username: string;
  nickname: string;
  id: string;
  token: string;
}

/** A fresh account, so each run (phone, desktop) has its own conversations. Registered from a
 * throwaway request context: its session cookie must not stick to the test's `request`. */
async function newPerson(prefix: string): Promise<Person> {
  const username = `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
  const nickname = `私信${username.slice(-6)}`;
  const isolated = await requestFactory.newContext({ baseURL: `http://127.0.0.1:${process.env.E2E_PORT}` });
  try {
    const registered = await gql<{ register: { token: string; user: { id: string }; errors: unknown[] } }>(
      isolated,
      "mutation($input: RegisterInput!) { register(input: $input) { token user { id } errors { field message } } }",
      { input: { username, password: DEMO_PASSWORD, nickname, city: "重庆" } },
    );
    expect(registered.register.errors).toEqual([]);
    return { username, nickname, id: registered.register.user.id, token: registered.register.token };
  } finally {
    await isolated.dispose();
  }
}

async function followEachOther(request: APIRequestContext, a: Person, b: Person): Promise<void> {
  const follow = "mutation($id: ID!) { follow(input: {userId: $id}) { errors { code message } } }";
  for (const [who, whom] of [
    [a, b],
    [b, a],
  ] as const) {
    const done = await gql<{ follow: { errors: unknown[] } }>(request, follow, { id: whom.id }, who.token);
    expect(done.follow.errors).toEqual([]);
  }
}

async function sendAs(request: APIRequestContext, from: Person, to: Person, body: string): Promise<unknown[]> {
  const sent = await gql<{ sendDirectMessage: { errors: unknown[] } }>(
    request,
    "mutation($input: SendDirectMessageInput!) { sendDirectMessage(input: $input) { message { id } errors { code message } } }",
    { input: { userId: to.id, body } },
    from.token,
  );
  return sent.sendDirectMessage.errors;
}

test("owner A writes to owner B: B's open conversation shows it live within 2 s and the badge counts it", async ({ browser, request }, testInfo) => {
  test.setTimeout(180_000);
  const a = await newPerson("dma");
  const b = await newPerson("dmb");
  await followEachOther(request, a, b);
  expect(await sendAs(request, b, a, "你好，周末去露营吗？")).toEqual([]);

  // B has the conversation with A open.
  const readerContext = await newUserContext(browser, testInfo, b.username);
  const reader = await readerContext.newPage();
  const listening = subscribed(reader, "ConversationLive");
  await reader.goto(`/app/messages/${encodeURIComponent(a.id)}`);
  await expect(reader.getByTestId("dm-log")).toContainText("你好，周末去露营吗？");
  await listening;

  const writerContext = await newUserContext(browser, testInfo, a.username);
  const writer = await writerContext.newPage();
  await writer.addInitScript(() => {
    const send = window.fetch.bind(window);
    window.fetch = (input, init) => {
      if (typeof init?.body === "string" && init.body.includes("SendDirectMessage")) (window as unknown as { sentAt: number }).sentAt = Date.now();
      return send(input, init);
    };
  });
  await writer.goto("/app/messages");
  await writer.getByTestId("conversation-row").filter({ hasText: b.nickname }).click();
  await expect(writer.getByTestId("dm-log")).toContainText("你好，周末去露营吗？");
  const text = `好啊，周六早上八点出发 ${testInfo.project.name} ${Date.now()}`;
  await reader.evaluate((expected) => {
    const log = document.querySelector('[data-testid="dm-log"]')!;
    const observer = new MutationObserver(() => {
      if (log.textContent?.includes(expected)) {
        (window as unknown as { seenAt: number }).seenAt = Date.now();
        observer.disconnect();
      }
    });
    observer.observe(log, { childList: true, subtree: true, characterData: true });
  }, text);
  await writer.getByLabel("消息", { exact: true }).fill(text);
  await writer.getByRole("button", { name: "发送" }).click();
  const readIt = reader.waitForResponse((r) => Boolean(r.request().postData()?.includes("MarkConversationRead")));
  await expect(reader.getByTestId("dm-message").filter({ hasText: text })).toBeVisible();
  const sentAt = await writer.evaluate(() => (window as unknown as { sentAt?: number }).sentAt);
  const seenAt = await reader.evaluate(() => (window as unknown as { seenAt?: number }).seenAt);
  expect(sentAt && seenAt, "the send and the arrival were observed").toBeTruthy();
  const elapsed = seenAt! - sentAt!;
  testInfo.annotations.push({ type: "direct message latency", description: `${elapsed} ms from the send` });
  expect(elapsed).toBeLessThan(2000);
  await expect(writer.getByTestId("dm-message").filter({ hasText: text })).toHaveCount(1);
  await expect(writer.getByLabel("消息", { exact: true })).toHaveValue("");
  await screenshot(reader, testInfo, "owner-conversation");

  // The open conversation marked it read; on another page of B's, the badge counts what arrives next.
  await readIt;
  await reader.close();
  const elsewhere = await readerContext.newPage();
  const badgeListening = subscribed(elsewhere, "DirectMessageArrivals");
  await elsewhere.goto("/app/events");
  await badgeListening;
  await expect(elsewhere.locator("main h1").first()).toBeVisible();
  await expect(elsewhere.getByTestId("messages-badge")).toHaveCount(0);
  await writer.getByLabel("消息", { exact: true }).fill("别忘了带帐篷");
  await writer.getByRole("button", { name: "发送" }).click();
  await expect(elsewhere.getByTestId("messages-badge")).toHaveText("1");
  await writer.getByLabel("消息", { exact: true }).fill("还有睡袋");
  await writer.getByRole("button", { name: "发送" }).click();
  await expect(elsewhere.getByTestId("messages-badge")).toHaveText("2");
  await elsewhere.getByTestId("messages-nav").click();
  const row = elsewhere.getByTestId("conversation-row").filter({ hasText: a.nickname });
  await expect(row.getByTestId("conversation-unread")).toHaveText("2");
  await expect(row).toContainText("还有睡袋");
  await screenshot(elsewhere, testInfo, "owner-messages");
  await row.click();
  await expect(elsewhere.getByTestId("dm-log")).toContainText("还有睡袋");
  await expect(elsewhere.getByTestId("messages-badge")).toHaveCount(0);

  // A payload error shows next to the box in the user's language, and the typed text stays.
  const long = "长".repeat(1000) + "!";
  await writer.getByLabel("消息", { exact: true }).evaluate((input) => (input as HTMLInputElement).removeAttribute("maxlength"));
  await writer.getByLabel("消息", { exact: true }).fill(long);
  await writer.getByRole("button", { name: "发送" }).click();
  await expect(writer.getByTestId("dm-error")).toBeVisible();
  await expect(writer.getByLabel("消息", { exact: true })).toHaveValue(long);
  await writerContext.close();
  await readerContext.close();
});

test("a block hides the conversation and refuses sending; unblocking brings it back", async ({ browser, request }, testInfo) => {
  test.setTimeout(120_000);
  const a = await newPerson("dmc");
  const b = await newPerson("dmd");
  await followEachOther(request, a, b);
  expect(await sendAs(request, b, a, "上次的照片发你了")).toEqual([]);

  const context = await newUserContext(browser, testInfo, a.username);
  const page = await context.newPage();
  await page.goto("/app/messages");
  await expect(page.getByTestId("conversation-row").filter({ hasText: b.nickname })).toBeVisible();

  await page.goto(`/app/users/${encodeURIComponent(b.id)}`);
  await page.getByRole("button", { name: "拉黑" }).click();
  await expect(page.getByRole("alertdialog")).toContainText(b.nickname);
  await page.getByRole("button", { name: "确定拉黑" }).click();
  await expect(page.getByTestId("user-actions")).toContainText("你已拉黑此人");
  await expect(page.getByTestId("message-user")).toHaveCount(0);

  await page.goto("/app/messages");
  await expect(page.locator("main h1")).toBeVisible();
  await expect(page.getByTestId("conversation-row").filter({ hasText: b.nickname })).toHaveCount(0);
  // Writing anyway (the address typed by hand) is refused next to the box, the text kept.
  await page.goto(`/app/messages/${encodeURIComponent(b.id)}`);
  await page.getByLabel("消息", { exact: true }).fill("还在吗");
  await page.getByRole("button", { name: "发送" }).click();
  await expect(page.getByTestId("dm-error")).toBeVisible();
  await expect(page.getByLabel("消息", { exact: true })).toHaveValue("还在吗");
  expect((await sendAs(request, b, a, "为什么不回我")).length).toBeGreaterThan(0);

  // The blocked-people list in the owner's own area lifts it.
  await page.goto("/app/me");
  await page.getByRole("link", { name: "黑名单" }).click();
  await page.getByRole("button", { name: `取消拉黑 ${b.nickname}` }).click();
  await expect(page.getByTestId("blocked-row").filter({ hasText: b.nickname })).toHaveCount(0);
  await screenshot(page, testInfo, "owner-blocked");
  await page.goto("/app/messages");
  await expect(page.getByTestId("conversation-row").filter({ hasText: b.nickname })).toContainText("上次的照片发你了");
  await context.close();
});

test("a stranger's first message is a request: pending for the sender, accepted by the recipient", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const stranger = await newPerson("dme");
  const owner = await newPerson("dmf");

  const senderContext = await newUserContext(browser, testInfo, stranger.username);
  const sender = await senderContext.newPage();
  await sender.goto(`/app/users/${encodeURIComponent(owner.id)}`);
  await sender.getByTestId("message-user").click();
  await sender.getByLabel("消息", { exact: true }).fill("你好，想请教一下改装");
  await sender.getByRole("button", { name: "发送" }).click();
  await expect(sender.getByTestId("request-pending")).toBeVisible();
  await expect(sender.getByLabel("消息", { exact: true })).toHaveCount(0);

  const recipientContext = await newUserContext(browser, testInfo, owner.username);
  const recipient = await recipientContext.newPage();
  await recipient.goto("/app/messages");
  const row = recipient.getByTestId("conversation-row").filter({ hasText: stranger.nickname });
  await expect(row).toContainText("私信请求");
  await row.click();
  await expect(recipient.getByTestId("message-request")).toBeVisible();
  await recipient.getByRole("button", { name: "接受" }).click();
  await expect(recipient.getByTestId("message-request")).toHaveCount(0);
  await recipient.getByLabel("消息", { exact: true }).fill("可以，问吧");
  await recipient.getByRole("button", { name: "发送" }).click();
  await expect(recipient.getByTestId("dm-message").filter({ hasText: "可以，问吧" })).toHaveCount(1);

  await sender.reload();
  await expect(sender.getByTestId("request-pending")).toHaveCount(0);
  await expect(sender.getByTestId("dm-log")).toContainText("可以，问吧");
  await sender.getByLabel("消息", { exact: true }).fill("谢谢！");
  await sender.getByRole("button", { name: "发送" }).click();
  await expect(sender.getByTestId("dm-message").filter({ hasText: "谢谢！" })).toHaveCount(1);
  await senderContext.close();
  await recipientContext.close();
});
