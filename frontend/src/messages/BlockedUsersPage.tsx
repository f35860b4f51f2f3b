/** The people the viewer blocked (latest first, paged), each with "unblock". */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useMutation } from "urql";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import { Avatar } from "../ui/Avatar";
import { FormErrors, useMutationForm } from "../ui/forms";
import { Empty, ErrorMessage, Loading, LoadMore } from "../ui/states";

const BLOCKED_USERS = graphql(`
  query BlockedUsers($first: Int!, $after: String) {
    blockedUsers(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          nickname
          avatarUrl
        }
      }
    }
  }
`);

export const UNBLOCK_USER = graphql(`
  mutation UnblockUser($input: UserIdInput!) {
    unblockUser(input: $input) {
      user {
        id
        isBlockedByViewer
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export function BlockedUsersPage() {
  const { t } = useTranslation("messages");
  const list = useConnection(BLOCKED_USERS, { first: 20 }, (data) => data.blockedUsers);
  const [unblocked, setUnblocked] = useState<Set<string>>(new Set());
  const [, unblock] = useMutation(UNBLOCK_USER);
  const form = useMutationForm([]);
  const shown = list.nodes.filter((user) => !unblocked.has(user.id));

  async function lift(id: string) {
    const done = await form.run(() => unblock({ input: { userId: id } }), (r) => r.data?.unblockUser?.errors);
    if (done) setUnblocked((current) => new Set(current).add(id));
  }

  return (
    <section aria-labelledby="blocked-title">
      <h1 id="blocked-title">{t("blocked.title")}</h1>
      {list.loading && <Loading />}
      <ErrorMessage error={list.error} onRetry={list.refetch} />
      <FormErrors errors={form.errors.form} />
      {!list.loading && !list.error && shown.length === 0 && <Empty>{t("blocked.empty")}</Empty>}
      <ul className="list user-list" data-testid="blocked-list">
        {shown.map((user) => (
          <li key={user.id} className="card user-row spread" data-testid="blocked-row">
            <Link to={`/users/${encodeURIComponent(user.id)}`} className="row">
              <Avatar url={user.avatarUrl} name={user.nickname} size={40} />
              <strong>{user.nickname}</strong>
            </Link>
            <button
              type="button"
              className="button secondary small"
              disabled={form.submitting}
              aria-label={t("blocked.unblockNamed", { name: user.nickname })}
              onClick={() => void lift(user.id)}
            >
              {t("blocked.unblock")}
            </button>
          </li>
        ))}
      </ul>
      <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
    </section>
  );
}
