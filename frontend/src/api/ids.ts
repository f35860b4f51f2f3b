/** Relay global IDs are base64("Type:pk"): the type says which page a notification's target opens. */

export function globalIdType(id: string | null | undefined): string | null {
  if (!id) return null;
  try {
    const decoded = atob(id);
    const colon = decoded.indexOf(":");
    return colon > 0 ? decoded.slice(0, colon) : null;
  } catch {
    return null;
  }
}

const ROUTES: Record<string, (id: string) => string> = {
  Post: (id) => `/posts/${id}`,
  Event: (id) => `/events/${id}`,
  Circle: (id) => `/circles/${id}`,
  User: (id) => `/users/${id}`,
  Membership: () => "/host",
};

/** The client path for a target, or null when no page shows it. */
export function routeForTarget(id: string | null | undefined): string | null {
  const type = globalIdType(id);
  return type && id && ROUTES[type] ? ROUTES[type](id) : null;
}
