/**
 * The client-side rules of private messages, kept apart from the pages so they can be tested:
 * which live message belongs to the open conversation, how a conversation row is labelled, and the
 * idempotency key a send carries (kept across a failed attempt, so a retry never sends twice).
 */

export interface LiveMessage {
  id: string;
  sender: { id: string };
  recipient?: { id: string } | null;
}

/** A message from the `directMessages` subscription belongs to the conversation with `otherId`. */
export function belongsTo(message: LiveMessage, viewerId: string, otherId: string): boolean {
  const recipient = message.recipient?.id;
  return (
    (message.sender.id === otherId && recipient === viewerId) || (message.sender.id === viewerId && recipient === otherId)
  );
}

export type ConversationState = "active" | "requestFromThem" | "requestPending" | "declined" | "declinedByYou";

/** What the viewer may do in a conversation, from its status and who asked. */
export function conversationState(
  conversation: { status: string; requestedByViewer: boolean } | null | undefined,
): ConversationState {
  if (!conversation || conversation.status === "ACTIVE") return "active";
  if (conversation.status === "REQUESTED") return conversation.requestedByViewer ? "requestPending" : "requestFromThem";
  return conversation.requestedByViewer ? "declined" : "declinedByYou";
}

/** Whether the send box is offered (the first message of a request may be written; then one waits). */
export function maySend(state: ConversationState): boolean {
  return state === "active" || state === "requestFromThem";
}

function randomKey(): string {
  const crypto = globalThis.crypto;
  if (crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * One key per message being written: `current()` is what the next attempt sends; after the API
 * answered (a message, or payload errors: nothing was written) `answered()` makes a new one; a
 * network failure keeps it, so pressing "send" again is the same request and cannot duplicate.
 */
export class IdempotencyKeys {
  private key: string;
  constructor(private readonly make: () => string = randomKey) {
    this.key = make();
  }
  current(): string {
    return this.key;
  }
  answered(): void {
    this.key = this.make();
  }
}

/** The badge's text: nothing at 0, the number up to 99. */
export function badgeText(count: number): string | null {
  if (count <= 0) return null;
  return count > 99 ? "99+" : String(count);
}
