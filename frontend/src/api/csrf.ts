/** Django's CSRF cookie, sent back as X-CSRFToken on every POST made with the session cookie. */

export const CSRF_COOKIE = "csrftoken";

export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      return decodeURIComponent(part.slice(eq + 1).trim());
    }
  }
  return null;
}

/** Read on each request: `login` rotates the token, so a value captured at start goes stale. */
export function csrfHeaders(cookies?: string): Record<string, string> {
  const token = readCookie(CSRF_COOKIE, cookies);
  return token ? { "X-CSRFToken": token } : {};
}
