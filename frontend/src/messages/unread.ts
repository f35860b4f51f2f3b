/**
 * The unread private-message count of the nav badge: the server's count, asked again whenever a
 * message from someone else arrives live and whenever a conversation is marked read here.
 */
import { useEffect } from "react";
import { useQuery, useSubscription } from "urql";
import { useSession } from "../auth/session";
import { graphql } from "../gql";

const UNREAD_DIRECT_MESSAGES = graphql(`
  query UnreadDirectMessages {
    unreadDirectMessageCount
  }
`);

const DIRECT_MESSAGE_ARRIVALS = graphql(`
  subscription DirectMessageArrivals {
    directMessages {
      id
      sender {
        id
      }
    }
  }
`);

/** Dispatched on `window` after a conversation was marked read, so the badge counts again. */
export const MESSAGES_READ_EVENT = "community:messages-read";

export function announceMessagesRead(): void {
  window.dispatchEvent(new Event(MESSAGES_READ_EVENT));
}

export function useUnreadMessages(): number {
  const { viewer } = useSession();
  const [result, refetch] = useQuery({
    query: UNREAD_DIRECT_MESSAGES,
    pause: !viewer,
    requestPolicy: "network-only",
  });
  useSubscription({ query: DIRECT_MESSAGE_ARRIVALS, pause: !viewer }, (_previous, data) => {
    if (data.directMessages && data.directMessages.sender.id !== viewer?.id) refetch({ requestPolicy: "network-only" });
    return data;
  });
  useEffect(() => {
    const again = () => refetch({ requestPolicy: "network-only" });
    window.addEventListener(MESSAGES_READ_EVENT, again);
    return () => window.removeEventListener(MESSAGES_READ_EVENT, again);
  }, [refetch]);
  return viewer ? result.data?.unreadDirectMessageCount ?? 0 : 0;
}
