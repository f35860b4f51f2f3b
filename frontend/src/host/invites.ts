/** An invite's link (it opens the circle's page with the code filled in) and whether it still works. */

export function inviteLink(origin: string, circleId: string, code: string): string {
  return `${origin}/app/circles/${encodeURIComponent(circleId)}?invite=${encodeURIComponent(code)}`;
}

export type InviteState = "valid" | "revoked" | "expired" | "usedUp";

export function inviteState(
  invite: { revoked: boolean; expiresAt?: string | null; maxUses?: number | null; uses: number },
  now: Date = new Date(),
): InviteState {
  if (invite.revoked) return "revoked";
  if (invite.expiresAt && new Date(invite.expiresAt).getTime() <= now.getTime()) return "expired";
  if (invite.maxUses != null && invite.uses >= invite.maxUses) return "usedUp";
  return "valid";
}
