/**
 * UI language: zh-Hans by default, English when chosen (or when the browser prefers it and the
 * user has not chosen). common, owner, account and messages strings load at start; the host and brand areas add their
 * own namespaces when their chunk loads (registerNamespace).
 */
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import enAccount from "./locales/en/account.json";
import enCommon from "./locales/en/common.json";
import enMessages from "./locales/en/messages.json";
import enOwner from "./locales/en/owner.json";
import zhAccount from "./locales/zh-Hans/account.json";
import zhCommon from "./locales/zh-Hans/common.json";
import zhMessages from "./locales/zh-Hans/messages.json";
import zhOwner from "./locales/zh-Hans/owner.json";

export const LANGUAGES = ["zh-Hans", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "zh-Hans";
const STORAGE_KEY = "community.language";

/** Maps a BCP 47 tag (zh-CN, zh-TW, en-GB, fr...) to a language the client has. */
export function supportedLanguage(tag: string | null | undefined): Language | null {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  if (lower === "en" || lower.startsWith("en-")) return "en";
  if (lower === "zh" || lower.startsWith("zh-")) return "zh-Hans";
  return null;
}

export function detectLanguage(stored: string | null, preferred: readonly string[]): Language {
  const chosen = supportedLanguage(stored);
  if (chosen) return chosen;
  for (const tag of preferred) {
    const match = supportedLanguage(tag);
    if (match) return match;
  }
  return DEFAULT_LANGUAGE;
}

function storedLanguage(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function initI18n(language?: Language): typeof i18n {
  const lng =
    language ?? detectLanguage(storedLanguage(), typeof navigator !== "undefined" ? navigator.languages ?? [] : []);
  void i18n.use(initReactI18next).init({
    lng,
    supportedLngs: [...LANGUAGES],
    // A string missing in English shows the Chinese one rather than a key.
    fallbackLng: { en: ["zh-Hans"], default: ["zh-Hans"] },
    ns: ["common", "owner", "account", "messages"],
    defaultNS: "common",
    resources: {
      "zh-Hans": { common: zhCommon, owner: zhOwner, account: zhAccount, messages: zhMessages },
      en: { common: enCommon, owner: enOwner, account: enAccount, messages: enMessages },
    },
    interpolation: { escapeValue: false },
    returnNull: false,
    initImmediate: false,
  });
  document.documentElement.lang = lng;
  return i18n;
}

/** Adds an area's strings (host, brand) when its chunk loads. */
export function registerNamespace(ns: string, bundles: Record<Language, Record<string, unknown>>): void {
  for (const language of LANGUAGES) {
    if (!i18n.hasResourceBundle(language, ns)) {
      i18n.addResourceBundle(language, ns, bundles[language], true, false);
    }
  }
}

export function changeLanguage(language: Language): Promise<unknown> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = language;
  return i18n.changeLanguage(language);
}

export function currentLanguage(): Language {
  return supportedLanguage(i18n.language) ?? DEFAULT_LANGUAGE;
}

export default i18n;
