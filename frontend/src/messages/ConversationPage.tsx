/**
 * One conversation: the latest messages, earlier ones paged backwards, new ones live through the
 * `directMessages` subscription; opening it (and every message arriving while open) marks it read.
 * A send carries an idempotency key kept across a failed attempt; payload errors show next to the
 * box in the user's language and the typed text stays. Message requests are answered here.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { useClient, useMutation, useQuery, useSubscription } from "urql";
import { appendUnique, nodesOf, prependUnique } from "../api/pagination";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import type { DirectMessageFieldsFragment } from "../gql/graphql";
import { formatDateTime } from "../ui/format";
import { FormErrors, useMutationForm } from "../ui/forms";
import { NotFound } from "../ui/NotFound";
import { ErrorMessage, Loading } from "../ui/states";
import { ReportButton } from "../owner/ReportButton";
import { belongsTo, conversationState, IdempotencyKeys, maySend } from "./logic";
import { announceMessagesRead } from "./unread";

export const DIRECT_MESSAGE_FIELDS = graphql(`
  fragment DirectMessageFields on DirectMessage {
    id
    body
    createdAt
    pendingReview
    sender {
      id
      nickname
    }
    recipient {
      id
    }
  }
`);

const CONVERSATION = graphql(`
  query ConversationPage($userId: ID!, $last: Int!, $before: String) {
    user(id: $userId) {
      id
      nickname
    }
    conversation(userId: $userId) {
      id
      status
      requestedByViewer
      unreadCount
      messages(last: $last, before: $before) {
        pageInfo {
          hasPreviousPage
          startCursor
        }
        edges {
          node {
            ...DirectMessageFields
          }
        }
      }
    }
  }
`);

const CONVERSATION_LIVE = graphql(`
  subscription ConversationLive {
    directMessages {
      ...DirectMessageFields
    }
  }
`);

const SEND_DIRECT_MESSAGE = graphql(`
  mutation SendDirectMessage($input: SendDirectMessageInput!) {
    sendDirectMessage(input: $input) {
      message {
        ...DirectMessageFields
      }
      errors {
        field
        code
        message
        retryAfter
      }
    }
  }
`);

const MARK_READ = graphql(`
  mutation MarkConversationRead($input: ConversationWithInput!) {
    markConversationRead(input: $input) {
      conversation {
        id
        unreadCount
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const RESPOND = graphql(`
  mutation RespondToMessageRequest($input: RespondToMessageRequestInput!) {
    respondToMessageRequest(input: $input) {
      conversation {
        id
        status
        requestedByViewer
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

type Message = DirectMessageFieldsFragment;
const PAGE = 30;
const byId = (m: Message) => m.id;
// Errors about the person (blocked, a request not accepted yet) are about this box too.
const BOX_FIELDS = ["body", "userId"];

/** Keyed by the other person's ID, so moving to another conversation starts afresh. */
export function ConversationPage() {
  const { userId = "" } = useParams();
  return <ConversationFor key={userId} otherId={userId} />;
}

function ConversationFor({ otherId }: { otherId: string }) {
  const { t, i18n } = useTranslation("messages");
  const { viewer } = useSession();
  const client = useClient();
  const [result, reload] = useQuery({
    query: CONVERSATION,
    variables: { userId: otherId, last: PAGE },
    requestPolicy: "network-only",
  });
  const [messages, setMessages] = useState<Message[]>([]);
  const [older, setOlder] = useState<{ hasMore: boolean; cursor: string | null }>({ hasMore: false, cursor: null });
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [body, setBody] = useState("");
  const keys = useRef(new IdempotencyKeys());
  const [, send] = useMutation(SEND_DIRECT_MESSAGE);
  const [, markRead] = useMutation(MARK_READ);
  const [, respond] = useMutation(RESPOND);
  const form = useMutationForm(BOX_FIELDS);
  const answer = useMutationForm([]);
  const log = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);

  const conversation = result.data?.conversation;
  const connection = conversation?.messages;
  useEffect(() => {
    if (!connection) return;
    setMessages((current) => appendUnique(nodesOf(connection), current, byId));
    setOlder({ hasMore: connection.pageInfo.hasPreviousPage, cursor: connection.pageInfo.startCursor ?? null });
  }, [connection]);

  const read = useCallback(async () => {
    const done = await markRead({ input: { userId: otherId } });
    if (done.data?.markConversationRead?.conversation) announceMessagesRead();
  }, [markRead, otherId]);

  const hasConversation = Boolean(conversation);
  useEffect(() => {
    if (hasConversation) void read();
  }, [hasConversation, read]);

  useSubscription({ query: CONVERSATION_LIVE, pause: !viewer }, (_previous, data) => {
    const message = data.directMessages;
    if (message && viewer && belongsTo(message, viewer.id, otherId)) {
      setMessages((current) => appendUnique(current, [message], byId));
      if (message.sender.id === otherId) void read();
    }
    return data;
  });

  useLayoutEffect(() => {
    if (stickToBottom.current && log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [messages]);

  const loadOlder = useCallback(async () => {
    if (!older.hasMore || !older.cursor || loadingOlder) return;
    setLoadingOlder(true);
    stickToBottom.current = false;
    const element = log.current;
    const before = element ? element.scrollHeight - element.scrollTop : 0;
    const page = await client
      .query(CONVERSATION, { userId: otherId, last: PAGE, before: older.cursor }, { requestPolicy: "network-only" })
      .toPromise();
    const history = page.data?.conversation?.messages;
    if (history) {
      setMessages((current) => prependUnique(current, nodesOf(history), byId));
      setOlder({ hasMore: history.pageInfo.hasPreviousPage, cursor: history.pageInfo.startCursor ?? null });
      requestAnimationFrame(() => {
        if (element) element.scrollTop = element.scrollHeight - before;
      });
    }
    setLoadingOlder(false);
  }, [client, otherId, older, loadingOlder]);

  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <ErrorMessage error={result.error} />;
  const other = result.data?.user;
  if (!other || other.id === viewer?.id) return <NotFound />;
  const state = conversationState(conversation);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!body.trim()) return;
    stickToBottom.current = true;
    let answeredAtAll = false;
    const outcome = await form.run(
      async () => {
        const sent = await send({ input: { userId: otherId, body, idempotencyKey: keys.current.current() } });
        answeredAtAll = !sent.error?.networkError;
        return sent;
      },
      (r) => r.data?.sendDirectMessage?.errors,
    );
    // The API answered (a message, or payload errors and nothing written): the next attempt is a new
    // message. A network failure keeps the key, so sending again cannot write it twice.
    if (answeredAtAll) keys.current.answered();
    const message = outcome?.data?.sendDirectMessage?.message;
    if (message) {
      setMessages((current) => appendUnique(current, [message], byId));
      setBody("");
      if (!conversation || state !== "active") reload({ requestPolicy: "network-only" });
    }
  }

  async function answerRequest(accept: boolean) {
    const done = await answer.run(
      () => respond({ input: { userId: otherId, accept } }),
      (r) => r.data?.respondToMessageRequest?.errors,
    );
    if (done) reload({ requestPolicy: "network-only" });
  }

  return (
    <section className="chat conversation" aria-labelledby="conversation-title">
      <p className="small row">
        <Link to="/messages">← {t("conversation.back")}</Link>
        <Link to={`/users/${encodeURIComponent(other.id)}`}>{t("conversation.profile")}</Link>
      </p>
      <h1 id="conversation-title">{t("conversation.title", { name: other.nickname })}</h1>
      {state === "requestFromThem" && (
        <div className="card request-banner" data-testid="message-request">
          <p>{t("conversation.requestFromThem", { name: other.nickname })}</p>
          <FormErrors errors={answer.errors.form} />
          <div className="row">
            <button type="button" className="button primary small" disabled={answer.submitting} onClick={() => void answerRequest(true)}>
              {t("conversation.accept")}
            </button>
            <button type="button" className="button secondary small" disabled={answer.submitting} onClick={() => void answerRequest(false)}>
              {t("conversation.decline")}
            </button>
          </div>
        </div>
      )}
      {state === "requestPending" && (
        <p className="muted" role="status" data-testid="request-pending">
          {t("conversation.requestPending", { name: other.nickname })}
        </p>
      )}
      {state === "declined" && <p className="muted">{t("conversation.declined", { name: other.nickname })}</p>}
      {state === "declinedByYou" && <p className="muted">{t("conversation.declinedByYou")}</p>}
      <div
        className="chat-log"
        ref={log}
        data-testid="dm-log"
        role="log"
        aria-live="polite"
        aria-label={t("conversation.log", { name: other.nickname })}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {older.hasMore && (
          <div className="load-more">
            <button type="button" className="button secondary small" onClick={() => void loadOlder()} disabled={loadingOlder}>
              {loadingOlder ? t("common:state.loadingMore") : t("conversation.earlier")}
            </button>
          </div>
        )}
        {messages.length === 0 && <p className="muted">{t("conversation.empty")}</p>}
        {messages.map((message) => {
          const mine = message.sender.id === viewer?.id;
          return (
            <div key={message.id} className={`chat-message${mine ? " mine" : ""}`} data-testid="dm-message">
              <span className="who">{message.sender.nickname}</span>
              <span className="body">{message.body}</span>{" "}
              <time className="muted small" dateTime={message.createdAt}>
                {formatDateTime(message.createdAt, i18n.language)}
              </time>
              {message.pendingReview && <span className="tag tag-warn">{t("conversation.pendingReview")}</span>}
              {!mine && <ReportButton targetId={message.id} compact />}
            </div>
          );
        })}
      </div>
      {maySend(state) && (
        <form className="chat-form-wrap" onSubmit={submit}>
          <FormErrors errors={form.errors.form} />
          <div className="chat-form">
            <div className={`field${form.errors.fields.body || form.errors.fields.userId ? " field-invalid" : ""}`}>
              <label htmlFor="dm-body" className="visually-hidden">
                {t("conversation.message")}
              </label>
              <input
                id="dm-body"
                value={body}
                maxLength={1000}
                onChange={(e) => setBody(e.target.value)}
                placeholder={t("conversation.placeholder")}
                aria-invalid={form.errors.fields.body || form.errors.fields.userId ? true : undefined}
                aria-describedby={form.errors.fields.body || form.errors.fields.userId ? "dm-body-error" : undefined}
              />
              {(form.errors.fields.body || form.errors.fields.userId) && (
                <p className="field-error" id="dm-body-error" role="alert" data-testid="dm-error">
                  {form.errors.fields.body ?? form.errors.fields.userId}
                </p>
              )}
            </div>
            <button type="submit" className="button primary" disabled={form.submitting}>
              {t("conversation.send")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
