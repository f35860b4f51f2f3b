/**
 * Brand console: private messages the word filter held, each with who wrote to whom, why it was
 * held and the few messages around it (never the whole conversation); staff deliver or hide it.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import type { NodeOf } from "../areas/common";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import type { BrandHeldDirectMessagesQuery } from "../gql/graphql";
import { formatDateTime } from "../ui/format";
import { FormErrors, useMutationForm } from "../ui/forms";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";

const BRAND_HELD_DIRECT_MESSAGES = graphql(`
  query BrandHeldDirectMessages($first: Int!, $after: String) {
    pendingDirectMessages(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          body
          createdAt
          heldReason
          sender {
            id
            nickname
          }
          recipient {
            id
            nickname
          }
          reviewContext {
            id
            body
            createdAt
            sender {
              id
              nickname
            }
          }
        }
      }
    }
  }
`);

const BRAND_REVIEW_DIRECT_MESSAGE = graphql(`
  mutation BrandReviewDirectMessage($input: ReviewDirectMessageInput!) {
    reviewDirectMessage(input: $input) {
      message {
        id
        pendingReview
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

type Held = NodeOf<BrandHeldDirectMessagesQuery["pendingDirectMessages"]>;

export function HeldMessages() {
  const { t } = useTranslation("messages");
  const held = useConnection(BRAND_HELD_DIRECT_MESSAGES, { first: 20 }, (data) => data.pendingDirectMessages);
  return (
    <section aria-labelledby="held-dm-title">
      <h2 id="held-dm-title">{t("moderation.title")}</h2>
      {held.loading && <Loading />}
      <ErrorMessage error={held.error} onRetry={held.refetch} />
      {!held.loading && !held.error && held.nodes.length === 0 && <Empty>{t("moderation.empty")}</Empty>}
      <ul className="list" data-testid="held-direct-messages">
        {held.nodes.map((message) => (
          <HeldMessageCard key={message.id} message={message} />
        ))}
      </ul>
      <LoadMore hasMore={held.hasMore} loading={held.loadingMore} onMore={held.loadMore} />
    </section>
  );
}

function HeldMessageCard({ message }: { message: Held }) {
  const { t, i18n } = useTranslation("messages");
  const [, review] = useMutation(BRAND_REVIEW_DIRECT_MESSAGE);
  const form = useMutationForm([]);
  const [decided, setDecided] = useState<boolean | null>(null);
  async function decide(approve: boolean) {
    const ok = await form.run(
      () => review({ input: { messageId: message.id, approve } }),
      (r) => r.data?.reviewDirectMessage?.errors,
    );
    if (ok) setDecided(approve);
  }
  return (
    <li className="card" data-testid="held-direct-message">
      <p className="muted small">
        {t("moderation.from", { sender: message.sender.nickname, recipient: message.recipient?.nickname ?? "" })} ·{" "}
        {formatDateTime(message.createdAt, i18n.language)}
      </p>
      <p className="pre-wrap">
        <strong>{message.body}</strong>
      </p>
      {message.heldReason && <p className="muted small">{t("moderation.reason", { reason: message.heldReason })}</p>}
      {message.reviewContext && message.reviewContext.length > 1 && (
        <details>
          <summary>{t("moderation.context")}</summary>
          <ol className="list small">
            {message.reviewContext.map((around) => (
              <li key={around.id} className={around.id === message.id ? "strong" : undefined}>
                {around.sender.nickname}: {around.body}
                {around.id === message.id && ` (${t("moderation.held")})`}
              </li>
            ))}
          </ol>
        </details>
      )}
      <FormErrors errors={form.errors.form} />
      {decided === null ? (
        <div className="row">
          <button type="button" className="button primary small" disabled={form.submitting} onClick={() => void decide(true)}>
            {t("moderation.deliver")}
          </button>
          <button type="button" className="button secondary small" disabled={form.submitting} onClick={() => void decide(false)}>
            {t("moderation.hide")}
          </button>
        </div>
      ) : (
        <p role="status" className={decided ? "ok-text" : "muted"}>
          {decided ? t("moderation.delivered") : t("moderation.hidden")}
        </p>
      )}
    </li>
  );
}
