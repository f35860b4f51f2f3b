/**
 * Who may do what to content, as the API decides it, so a screen offers only the buttons that will
 * work (the API checks again). Comments: the author, the circle's hosts and co-hosts, brand staff.
 * Chat messages: hosts and co-hosts of the circle, brand staff.
 */
export interface ViewerLike {
  id: string;
  isBrandStaff: boolean;
}

export interface MembershipLike {
  role: string;
  status: string;
}

export function runsCircle(membership: MembershipLike | null | undefined): boolean {
  return Boolean(membership && membership.status === "ACTIVE" && (membership.role === "HOST" || membership.role === "CO_HOST"));
}

export function canDeleteComment(
  viewer: ViewerLike | null | undefined,
  authorId: string,
  circleMembership: MembershipLike | null | undefined,
): boolean {
  if (!viewer) return false;
  return viewer.id === authorId || viewer.isBrandStaff || runsCircle(circleMembership);
}

export function canDeleteChatMessage(viewer: ViewerLike | null | undefined, circleMembership: MembershipLike | null | undefined): boolean {
  if (!viewer) return false;
  return viewer.isBrandStaff || runsCircle(circleMembership);
}
