/**
 * The viewer's conversations, newest message first (more through the cursor): the other person, the
 * last message, the unread count, and whether it is a request to answer or one waiting for them.
 */
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useSubscription } from "urql";
import { useConnection } from "../api/pagination";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import { Avatar } from "../ui/Avatar";
import { formatDateTime } from "../ui/format";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";
import { conversationState } from "./logic";

const CONVERSATIONS = graphql(`
  query Conversations($first: Int!, $after: String) {
    conversations(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          status
          requestedByViewer
          unreadCount
          lastMessageAt
          otherUser {
            id
            nickname
            avatarUrl
          }
          lastMessage {
            id
            body
            sender {
              id
            }
          }
        }
      }
    }
  }
`);

const LIST_ARRIVALS = graphql(`
  subscription ConversationListArrivals {
    directMessages {
      id
    }
  }
`);

export function MessagesPage() {
  const { t, i18n } = useTranslation("messages");
  const { viewer } = useSession();
  const list = useConnection(CONVERSATIONS, { first: 20 }, (data) => data.conversations);
  // A message arriving moves its conversation up and changes its count: the first page is asked again.
  useSubscription({ query: LIST_ARRIVALS }, (_previous, data) => {
    if (data.directMessages) list.refetch();
    return data;
  });
  return (
    <section aria-labelledby="messages-title">
      <h1 id="messages-title">{t("list.title")}</h1>
      {list.loading && <Loading />}
      <ErrorMessage error={list.error} onRetry={list.refetch} />
      {!list.loading && !list.error && list.nodes.length === 0 && <Empty>{t("list.empty")}</Empty>}
      <ul className="list conversation-list" data-testid="conversation-list">
        {list.nodes.map((conversation) => {
          const state = conversationState(conversation);
          const last = conversation.lastMessage;
          const preview = last
            ? last.sender.id === viewer?.id
              ? t("list.you", { body: last.body })
              : last.body
            : t("list.noMessageYet");
          return (
            <li key={conversation.id} className="card conversation-row" data-testid="conversation-row">
              <Link to={`/messages/${encodeURIComponent(conversation.otherUser.id)}`} className="row">
                <Avatar url={conversation.otherUser.avatarUrl} name={conversation.otherUser.nickname} size={40} />
                <span className="conversation-text">
                  <strong>{conversation.otherUser.nickname}</strong>{" "}
                  {state === "requestFromThem" && <span className="tag tag-warn">{t("list.requestFromThem")}</span>}
                  {state === "requestPending" && <span className="tag">{t("list.requestPending")}</span>}
                  {(state === "declined" || state === "declinedByYou") && <span className="tag">{t("list.declined")}</span>}
                  <span className="muted small block conversation-preview">{preview}</span>
                  <time className="muted small" dateTime={conversation.lastMessageAt}>
                    {formatDateTime(conversation.lastMessageAt, i18n.language)}
                  </time>
                </span>
                {conversation.unreadCount > 0 && (
                  <span className="badge inline-badge" data-testid="conversation-unread" aria-label={t("list.unread", { count: conversation.unreadCount })}>
                    {conversation.unreadCount}
                  </span>
                )}
              </Link>
            </li>
          );
        })}
      </ul>
      <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
    </section>
  );
}
