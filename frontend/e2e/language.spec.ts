import { expect, gql, test } from "./fixtures";

test("the English switch changes the UI and the API's messages", async ({ page, request }) => {
  const wrong = "mutation { login(input: {username: \"owner002\", password: \"not-the-password\"}) { errors { message } } }";
  const english = await gql<{ login: { errors: { message: string }[] } }>(request, wrong, {}, undefined, "en");
  const chinese = await gql<{ login: { errors: { message: string }[] } }>(request, wrong, {}, undefined, "zh-Hans");
  expect(english.login.errors[0].message).not.toEqual(chinese.login.errors[0].message);

  await page.goto("/app/login");
  await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();
  await page.locator('input[name="username"]').fill("owner002");
  await page.locator('input[name="password"]').fill("not-the-password");
  await page.locator('button[type="submit"]').click();
  await expect(page.getByText(chinese.login.errors[0].message)).toBeVisible();

  await page.getByRole("button", { name: /English/ }).click();
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  // What was typed is still there; the same mistake now answers in English.
  await expect(page.locator('input[name="username"]')).toHaveValue("owner002");
  await page.locator('button[type="submit"]').click();
  await expect(page.getByText(english.login.errors[0].message)).toBeVisible();

  // The choice sticks across pages and reloads.
  await page.goto("/app/events");
  await expect(page.getByRole("heading", { name: "Events" })).toBeVisible();
  await page.getByRole("button", { name: /中文/ }).click();
  await expect(page.getByRole("heading", { name: "活动", exact: true })).toBeVisible();
});
