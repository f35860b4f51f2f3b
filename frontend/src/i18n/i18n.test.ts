/** @vitest-environment jsdom */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import i18n, { DEFAULT_LANGUAGE, detectLanguage, initI18n, registerNamespace, supportedLanguage } from "./index";

const locales = path.resolve(process.cwd(), "src/i18n/locales");

function keys(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

/** Plural forms differ by language (English has _one and _other, Chinese only _other): compare the base keys. */
function baseKeys(value: unknown): Set<string> {
  return new Set(keys(value).map((key) => key.replace(/_(zero|one|two|few|many|other)$/, "")));
}

describe("choosing the language", () => {
  it("maps browser tags to the two languages", () => {
    expect(supportedLanguage("zh-CN")).toBe("zh-Hans");
    expect(supportedLanguage("zh-TW")).toBe("zh-Hans");
    expect(supportedLanguage("en-GB")).toBe("en");
    expect(supportedLanguage("fr-FR")).toBeNull();
  });

  it("the user's choice first, then the browser's, else Chinese", () => {
    expect(detectLanguage("en", ["zh-CN"])).toBe("en");
    expect(detectLanguage(null, ["fr-FR", "en-US", "zh-CN"])).toBe("en");
    expect(detectLanguage(null, ["fr-FR", "de"])).toBe(DEFAULT_LANGUAGE);
    expect(detectLanguage("garbage", [])).toBe("zh-Hans");
  });
});

describe("catalogues", () => {
  const namespaces = readdirSync(path.join(locales, "zh-Hans")).map((file) => file.replace(/\.json$/, ""));

  it.each(namespaces)("%s has the same keys in both languages", (ns) => {
    const zh = JSON.parse(readFileSync(path.join(locales, "zh-Hans", `${ns}.json`), "utf-8"));
    const en = JSON.parse(readFileSync(path.join(locales, "en", `${ns}.json`), "utf-8"));
    expect([...baseKeys(en)].sort()).toEqual([...baseKeys(zh)].sort());
  });

  it("a string missing in English falls back to Chinese, not to its key", async () => {
    initI18n("en");
    registerNamespace("fallback-test", { "zh-Hans": { only: "只有中文" }, en: {} });
    expect(i18n.t("fallback-test:only")).toBe("只有中文");
    expect(i18n.t("common:nav.feed")).toBe("Feed");
    await i18n.changeLanguage("zh-Hans");
    expect(i18n.t("common:nav.feed")).toBe("动态");
  });

  it("English plurals pick their form", async () => {
    initI18n("en");
    await i18n.changeLanguage("en");
    expect(i18n.t("owner:post.likes", { count: 1 })).toBe("1 like");
    expect(i18n.t("owner:post.likes", { count: 3 })).toBe("3 likes");
  });
});
