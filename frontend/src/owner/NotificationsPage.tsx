import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { useMutation, useSubscription } from "urql";
import { routeForTarget } from "../api/ids";
import { appendUnique, useConnection } from "../api/pagination";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import type { NotificationFieldsFragment } from "../gql/graphql";
import { Avatar } from "../ui/Avatar";
import { formatRelative } from "../ui/format";
import { FormErrors, useMutationForm } from "../ui/forms";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";

export const NOTIFICATION_FIELDS = graphql(`
  fragment NotificationFields on Notification {
    id
    verb
    text
    targetId
    createdAt
    readAt
    actor {
      id
      nickname
      avatarUrl
    }
  }
`);

const NOTIFICATIONS = graphql(`
  query Notifications($first: Int!, $after: String, $unreadOnly: Boolean) {
    notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...NotificationFields
        }
      }
    }
  }
`);

const NEW_NOTIFICATIONS = graphql(`
  subscription NewNotifications {
    notifications {
      ...NotificationFields
    }
  }
`);

const MARK_READ = graphql(`
  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {
    markNotificationsRead(input: $input) {
      unreadCount
      errors {
        field
        code
        message
      }
    }
  }
`);

export function NotificationsPage() {
  const { t, i18n } = useTranslation("owner");
  const { refresh } = useSession();
  const [params, setParams] = useSearchParams();
  const unreadOnly = params.get("unread") === "1";
  const list = useConnection(NOTIFICATIONS, { first: 20, unreadOnly: unreadOnly || null }, (data) => data.notifications);
  const [live, setLive] = useState<NotificationFieldsFragment[]>([]);
  const [readIds, setReadIds] = useState<Set<string>>(new Set());
  const [, markRead] = useMutation(MARK_READ);
  const form = useMutationForm();
  useSubscription({ query: NEW_NOTIFICATIONS }, (_prev, data) => {
    if (data.notifications) setLive((current) => appendUnique([data.notifications], current, (n) => n.id));
    return data;
  });
  const all = appendUnique(live, list.nodes, (n) => n.id);

  async function markAll() {
    const ok = await form.run(() => markRead({ input: { all: true } }), (r) => r.data?.markNotificationsRead?.errors);
    if (ok) {
      setReadIds(new Set(all.map((n) => n.id)));
      refresh();
    }
  }

  async function open(id: string) {
    if (readIds.has(id)) return;
    await markRead({ input: { ids: [id] } });
    setReadIds((current) => new Set(current).add(id));
    refresh();
  }

  return (
    <section aria-labelledby="notifications-title">
      <div className="page-header">
        <h1 id="notifications-title">{t("notifications.title")}</h1>
        <div className="row">
          <button type="button" className="button secondary small" onClick={() => setParams(unreadOnly ? {} : { unread: "1" })}>
            {unreadOnly ? t("notifications.showAll") : t("notifications.showUnread")}
          </button>
          <button type="button" className="button primary small" onClick={() => void markAll()} disabled={form.submitting}>
            {t("notifications.markAll")}
          </button>
        </div>
      </div>
      <FormErrors errors={form.errors.form} />
      {list.loading && <Loading />}
      <ErrorMessage error={list.error} onRetry={list.refetch} />
      {!list.loading && !list.error && all.length === 0 && <Empty>{t("notifications.empty")}</Empty>}
      <ul className="list">
        {all.map((notification) => {
          const unread = !notification.readAt && !readIds.has(notification.id);
          // A ready data export is downloaded from the account settings, where its link is.
          const route = notification.verb === "DATA_EXPORT_READY" ? "/me/settings#export" : routeForTarget(notification.targetId);
          const body = (
            <>
              <span>{notification.text}</span>
              <span className="small muted"> · {formatRelative(notification.createdAt, i18n.language)}</span>
            </>
          );
          return (
            <li key={notification.id} className={`card list-item${unread ? " unread" : ""}`} data-testid="notification">
              <Avatar url={notification.actor?.avatarUrl} name={notification.actor?.nickname ?? "★"} size={32} />
              <span style={{ flex: 1 }}>
                {route ? (
                  <Link to={route} onClick={() => void open(notification.id)}>
                    {body}
                  </Link>
                ) : (
                  body
                )}
              </span>
              {unread && (
                <button type="button" className="button ghost small" onClick={() => void open(notification.id)}>
                  {t("notifications.markRead")}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
    </section>
  );
}
