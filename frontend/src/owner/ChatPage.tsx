/**
 * Circle chat: the latest messages, older ones page in going back (`chatMessages(last, before)`),
 * new ones arrive live over the WebSocket and are merged by ID with what was sent from here.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { useClient, useMutation, useQuery, useSubscription } from "urql";
import { appendUnique, nodesOf, prependUnique } from "../api/pagination";
import { canDeleteChatMessage } from "../account/permissions";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import type { ChatMessageFieldsFragment } from "../gql/graphql";
import { formatDateTime } from "../ui/format";
import { FormErrors, useMutationForm } from "../ui/forms";
import { NotFound } from "../ui/NotFound";
import { ErrorMessage, Loading } from "../ui/states";
import { ReportButton } from "./ReportButton";

export const CHAT_MESSAGE_FIELDS = graphql(`
  fragment ChatMessageFields on ChatMessage {
    id
    body
    createdAt
    pendingReview
    deleted
    author {
      id
      nickname
      avatarUrl
    }
    replyTo {
      id
      body
      author {
        id
        nickname
      }
    }
  }
`);

const CHAT_HISTORY = graphql(`
  query ChatHistory($id: ID!, $last: Int!, $before: String) {
    circle(id: $id) {
      id
      name
      viewerMembership {
        id
        role
        status
        mutedUntil
      }
      chatMessages(last: $last, before: $before) {
        pageInfo {
          hasPreviousPage
          startCursor
        }
        edges {
          node {
            ...ChatMessageFields
          }
        }
      }
    }
  }
`);

const CHAT_LIVE = graphql(`
  subscription ChatLive($circleId: ID!) {
    chatMessages(circleId: $circleId) {
      ...ChatMessageFields
    }
  }
`);

const SEND_CHAT = graphql(`
  mutation SendChat($input: SendChatMessageInput!) {
    sendChatMessage(input: $input) {
      message {
        ...ChatMessageFields
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

const DELETE_CHAT = graphql(`
  mutation DeleteChat($input: ChatMessageIdInput!) {
    deleteChatMessage(input: $input) {
      message {
        id
        deleted
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

type Message = ChatMessageFieldsFragment;
const PAGE = 30;
const byId = (m: Message) => m.id;

/** Keyed by the ID, so moving to another one starts with fresh state (live seats, chat, forms). */
export function ChatPage() {
  const { id = "" } = useParams();
  return <ChatPageFor key={id} id={id} />;
}

function ChatPageFor({ id }: { id: string }) {
  const { t, i18n } = useTranslation("owner");
  const { viewer } = useSession();
  const client = useClient();
  const [result] = useQuery({ query: CHAT_HISTORY, variables: { id, last: PAGE }, requestPolicy: "network-only" });
  const [messages, setMessages] = useState<Message[]>([]);
  const [older, setOlder] = useState<{ hasMore: boolean; cursor: string | null }>({ hasMore: false, cursor: null });
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [body, setBody] = useState("");
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [, send] = useMutation(SEND_CHAT);
  const [, deleteMessage] = useMutation(DELETE_CHAT);
  const form = useMutationForm(["body"]);
  const removal = useMutationForm([]);
  const log = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);

  const connection = result.data?.circle?.chatMessages;
  useEffect(() => {
    if (!connection) return;
    setMessages((current) => appendUnique(nodesOf(connection).filter((m) => !m.deleted), current, byId));
    setOlder({ hasMore: connection.pageInfo.hasPreviousPage, cursor: connection.pageInfo.startCursor ?? null });
  }, [connection]);

  useSubscription({ query: CHAT_LIVE, variables: { circleId: id }, pause: !result.data?.circle }, (_prev, data) => {
    const live = data.chatMessages;
    // A host's deletion arrives once as the message with `deleted` set: it goes from the log.
    if (live) setMessages((current) => (live.deleted ? current.filter((m) => m.id !== live.id) : appendUnique(current, [live], byId)));
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
    const page = await client.query(CHAT_HISTORY, { id, last: PAGE, before: older.cursor }, { requestPolicy: "network-only" }).toPromise();
    const history = page.data?.circle?.chatMessages;
    if (history) {
      setMessages((current) => prependUnique(current, nodesOf(history), byId));
      setOlder({ hasMore: history.pageInfo.hasPreviousPage, cursor: history.pageInfo.startCursor ?? null });
      requestAnimationFrame(() => {
        if (element) element.scrollTop = element.scrollHeight - before;
      });
    }
    setLoadingOlder(false);
  }, [client, id, older, loadingOlder]);

  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <ErrorMessage error={result.error} />;
  const circle = result.data?.circle;
  if (!circle) return <NotFound />;
  const member = circle.viewerMembership?.status === "ACTIVE";
  const mayDelete = canDeleteChatMessage(viewer, circle.viewerMembership);

  async function remove(message: Message) {
    if (!window.confirm(t("account:chat.confirmDelete"))) return;
    const ok = await removal.run(
      () => deleteMessage({ input: { messageId: message.id } }),
      (r) => r.data?.deleteChatMessage?.errors,
    );
    if (ok) setMessages((current) => current.filter((m) => m.id !== message.id));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!body.trim()) return;
    stickToBottom.current = true;
    const ok = await form.run(
      () => send({ input: { circleId: id, body, replyToId: replyTo?.id ?? null } }),
      (r) => r.data?.sendChatMessage?.errors,
    );
    const message = ok?.data?.sendChatMessage?.message;
    if (message) {
      setMessages((current) => appendUnique(current, [message], byId));
      setBody("");
      setReplyTo(null);
    }
  }

  return (
    <section className="chat" aria-labelledby="chat-title">
      <div className="spread">
        <h1 id="chat-title">
          <Link to={`/circles/${circle.id}`}>{circle.name}</Link> · {t("chat.title")}
        </h1>
      </div>
      <div
        className="chat-log"
        ref={log}
        data-testid="chat-log"
        role="log"
        aria-live="polite"
        aria-label={t("chat.log")}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          if (el.scrollTop < 40) void loadOlder();
        }}
      >
        {older.hasMore && (
          <div className="load-more">
            <button type="button" className="button secondary small" onClick={() => void loadOlder()} disabled={loadingOlder}>
              {loadingOlder ? t("common:state.loadingMore") : t("chat.older")}
            </button>
          </div>
        )}
        <FormErrors errors={removal.errors.form} />
        {messages.length === 0 && <p className="muted">{t("chat.empty")}</p>}
        {messages.map((message) => (
          <div key={message.id} className="chat-message" data-testid="chat-message">
            {message.replyTo && (
              <p className="muted small">
                ↪ {message.replyTo.author.nickname}: {message.replyTo.body.slice(0, 60)}
              </p>
            )}
            <span className="who">{message.author.nickname}</span>
            <span className="body">{message.body}</span>{" "}
            <time className="muted small" dateTime={message.createdAt}>
              {formatDateTime(message.createdAt, i18n.language)}
            </time>
            {message.pendingReview && <span className="tag tag-warn">{t("post.pendingReview")}</span>}
            {member && (
              <span className="row">
                <button type="button" className="button ghost small" onClick={() => setReplyTo(message)}>
                  {t("chat.reply")}
                </button>
                {message.author.id !== viewer?.id && <ReportButton targetId={message.id} compact />}
                {mayDelete && (
                  <button type="button" className="button ghost small" onClick={() => void remove(message)} disabled={removal.submitting}>
                    {t("account:chat.delete")}
                  </button>
                )}
              </span>
            )}
            {!member && mayDelete && (
              <button type="button" className="button ghost small" onClick={() => void remove(message)} disabled={removal.submitting}>
                {t("account:chat.delete")}
              </button>
            )}
          </div>
        ))}
      </div>
      {member ? (
        <form className="chat-form-wrap" onSubmit={submit}>
          <FormErrors errors={form.errors.form} />
          {replyTo && (
            <p className="muted small">
              {t("chat.replyingTo", { name: replyTo.author.nickname })}{" "}
              <button type="button" className="button ghost small" onClick={() => setReplyTo(null)}>
                {t("common:actions.cancel")}
              </button>
            </p>
          )}
          <div className="chat-form">
            <div className={`field${form.errors.fields.body ? " field-invalid" : ""}`}>
              <label htmlFor="chat-body" className="visually-hidden">
                {t("chat.message")}
              </label>
              <input
                id="chat-body"
                value={body}
                maxLength={500}
                onChange={(e) => setBody(e.target.value)}
                placeholder={t("chat.placeholder")}
                aria-invalid={form.errors.fields.body ? true : undefined}
                aria-describedby={form.errors.fields.body ? "chat-body-error" : undefined}
              />
              {form.errors.fields.body && (
                <p className="field-error" id="chat-body-error" role="alert">
                  {form.errors.fields.body}
                </p>
              )}
            </div>
            <button type="submit" className="button primary" disabled={form.submitting}>
              {t("common:actions.send")}
            </button>
          </div>
        </form>
      ) : (
        <p className="muted">{viewer ? t("chat.joinToChat") : t("chat.loginToChat")}</p>
      )}
    </section>
  );
}
