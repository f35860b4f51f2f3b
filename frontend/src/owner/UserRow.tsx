/**
 * One person in a list (search results, followers, following): avatar, nickname, level, city; and
 * the paged list of them those pages share (loading, error, empty, rows, more).
 */
import type { CombinedError } from "urql";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { ConnectionState } from "../api/pagination";
import { graphql } from "../gql";
import type { UserRowFieldsFragment } from "../gql/graphql";
import { Avatar } from "../ui/Avatar";
import { PagedList } from "../ui/states";

export const USER_ROW_FIELDS = graphql(`
  fragment UserRowFields on User {
    id
    nickname
    avatarUrl
    city
    level
    levelName
    isVerifiedOwner
  }
`);

export function UserRow({ user }: { user: UserRowFieldsFragment }) {
  const { t } = useTranslation("owner");
  return (
    <li className="card user-row" data-testid="user-row">
      <Link to={`/users/${encodeURIComponent(user.id)}`} className="row">
        <Avatar url={user.avatarUrl} name={user.nickname} size={40} />
        <span>
          <strong>{user.nickname}</strong>{" "}
          <span className="level" title={user.levelName}>
            Lv{user.level} {user.levelName}
          </span>
          <span className="muted small block">
            {user.city}
            {user.isVerifiedOwner && ` · ${t("profile.verifiedOwner")}`}
          </span>
        </span>
      </Link>
    </li>
  );
}

/** A paged list of people: `error` overrides the list's own (e.g. the page's other query failed). */
export function PeopleList({
  people,
  empty,
  testId,
  error,
}: {
  people: ConnectionState<UserRowFieldsFragment>;
  empty: string;
  testId: string;
  error?: CombinedError;
}) {
  return (
    <PagedList list={people} error={error} empty={empty} testId={testId} className="list user-list">
      {(user) => <UserRow user={user} />}
    </PagedList>
  );
}
