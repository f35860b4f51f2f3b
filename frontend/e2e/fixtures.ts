/**
 * Shared end-to-end helpers: log in through the UI or the API, open a second signed-in browser
 * context, call the API directly, and save screenshots for the README (E2E_SCREENSHOTS=1).
 */
import { test as base, expect, request as requestFactory, type APIRequestContext, type Browser, type BrowserContext, type Page, type TestInfo } from "@playwright/test";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const DEMO_PASSWORD = "oushang-demo-2026";

/** Demo owners kept apart per project, so the phone and desktop runs never share one's sign-ups. */
export function ownersFor(testInfo: TestInfo): { first: string; second: string } {
  return testInfo.project.name === "phone"
    ? { first: "owner002", second: "owner003" }
    : { first: "owner004", second: "owner005" };
}

export async function loginAs(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/app/login");
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Logs the context in with the `login` mutation (its cookies are the context's). */
export async function loginRequest(request: APIRequestContext, username: string, password = DEMO_PASSWORD): Promise<void> {
  const response = await request.post("/graphql/", {
    data: {
      query: "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { user { id } errors { message } } }",
      variables: { u: username, p: password },
    },
  });
  const body = await response.json();
  expect(body.data.login.errors, `login ${username}`).toEqual([]);
}

export async function newUserContext(browser: Browser, testInfo: TestInfo, username: string): Promise<BrowserContext> {
  const use = testInfo.project.use;
  const context = await browser.newContext({
    baseURL: use.baseURL,
    viewport: use.viewport,
    deviceScaleFactor: use.deviceScaleFactor,
    isMobile: use.isMobile,
    hasTouch: use.hasTouch,
    locale: use.locale,
    timezoneId: use.timezoneId,
  });
  await loginRequest(context.request, username);
  return context;
}

/** A GraphQL call with a bearer token (no cookies, no CSRF): for setting data up and checking figures. */
export async function gql<T = Record<string, unknown>>(
  request: APIRequestContext,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  language = "zh-Hans",
): Promise<T> {
  const response = await request.post("/graphql/", {
    headers: { "Accept-Language": language, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    data: { query, variables },
  });
  const body = await response.json();
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data as T;
}

const tokens = new Map<string, string>();

/** A bearer token for the user, from a login in a throwaway request context (its session cookie must
 * not stick to the test's `request`, which would then need CSRF). */
export async function tokenFor(_request: APIRequestContext, username: string, password = DEMO_PASSWORD): Promise<string> {
  const known = tokens.get(username);
  if (known) return known;
  const isolated = await requestFactory.newContext({ baseURL: `http://127.0.0.1:${process.env.E2E_PORT}` });
  try {
    const data = await gql<{ login: { token: string | null; errors: unknown[] } }>(
      isolated,
      "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token errors { message } } }",
      { u: username, p: password },
    );
    expect(data.login.errors).toEqual([]);
    tokens.set(username, data.login.token!);
    return data.login.token!;
  } finally {
    await isolated.dispose();
  }
}

/** Saves a screenshot to docs/screenshots/ when E2E_SCREENSHOTS=1 (`make screenshots`), else to the test output. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = `${name}-${testInfo.project.name}.png`;
  const target =
    process.env.E2E_SCREENSHOTS === "1"
      ? path.join(fileURLToPath(new URL("../../docs/screenshots/", import.meta.url)), file)
      : testInfo.outputPath(file);
  mkdirSync(path.dirname(target), { recursive: true });
  await page.screenshot({ path: target, fullPage: false, animations: "disabled" });
}

/**
 * Resolves once the page has subscribed to `operationName` over the WebSocket and the server has
 * acknowledged the connection: call it before the navigation that opens the subscription.
 */
export function subscribed(page: Page, operationName: string): Promise<void> {
  return new Promise((resolve) => {
    page.on("websocket", (socket) => {
      let acked = false;
      let sent = false;
      const check = () => {
        if (acked && sent) resolve();
      };
      socket.on("framereceived", (frame) => {
        if (String(frame.payload).includes('"connection_ack"')) {
          acked = true;
          check();
        }
      });
      socket.on("framesent", (frame) => {
        const text = String(frame.payload);
        if (text.includes('"subscribe"') && text.includes(operationName)) {
          sent = true;
          check();
        }
      });
    });
  });
}

/** An event of `owner001`'s circle 重庆欧尚车友会, made for one test. */
export async function createEvent(
  request: APIRequestContext,
  options: { title: string; capacity: number; startsInMinutes: number; maxGuests?: number },
): Promise<{ id: string; checkInCode: string }> {
  const host = await tokenFor(request, "owner001");
  const circles = await gql<{ circles: { edges: { node: { id: string } }[] } }>(
    request,
    'query { circles(first: 1, search: "重庆欧尚车友会") { edges { node { id } } } }',
    {},
    host,
  );
  const starts = new Date(Date.now() + options.startsInMinutes * 60_000);
  const ends = new Date(starts.getTime() + 3 * 3600_000);
  const data = await gql<{ createEvent: { event: { id: string; checkInCode: string } | null; errors: unknown[] } }>(
    request,
    `mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id checkInCode } errors { field message } } }`,
    {
      input: {
        circleId: circles.circles.edges[0].node.id,
        title: options.title,
        description: "端到端测试活动",
        kind: "MEETUP",
        startsAt: starts.toISOString(),
        endsAt: ends.toISOString(),
        city: "重庆",
        capacity: options.capacity,
        maxGuestsPerSignup: options.maxGuests ?? 2,
        publish: true,
      },
    },
    host,
  );
  expect(data.createEvent.errors).toEqual([]);
  return data.createEvent.event!;
}

export const test = base;
export { expect };

/**
 * The latest code mailed to `address`: e2e/server.sh sends mail through Django's file backend into
 * the state folder, one file per message, so a test reads what the owner would find in their inbox.
 */
export async function mailedCode(address: string, after = 0): Promise<string> {
  const folder = path.join(process.env.E2E_STATE_DIR ?? fileURLToPath(new URL("../.e2e/", import.meta.url)), "mail");
  let found: string | null = null;
  await expect
    .poll(
      () => {
        const files = existsSync(folder) ? readdirSync(folder).map((name) => path.join(folder, name)) : [];
        const messages = files
          .filter((file) => statSync(file).mtimeMs >= after)
          .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
          .flatMap((file) => readFileSync(file, "utf-8").split(/^-{79}$/m))
          .filter((message) => new RegExp(`^To: ${address.replace(/[.+]/g, "\\$&")}$`, "mi").test(message));
        const last = messages.at(-1);
        const body = last ? last.slice(last.search(/\r?\n\r?\n/)) : "";
        found = /\b(\d{6})\b/.exec(body)?.[1] ?? null;
        return found;
      },
      { message: `a code mailed to ${address}`, timeout: 15_000 },
    )
    .not.toBeNull();
  return found!;
}
