/** Who follows a user, or whom they follow, paged with the API's cursors. */
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { useQuery } from "urql";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import { NotFound } from "../ui/NotFound";
import { PeopleList } from "./UserRow";

const FOLLOW_LIST_OWNER = graphql(`
  query FollowListOwner($id: ID!) {
    user(id: $id) {
      id
      nickname
      followerCount
      followingCount
    }
  }
`);

const FOLLOWERS = graphql(`
  query Followers($userId: ID!, $first: Int!, $after: String) {
    followers(userId: $userId, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...UserRowFields
        }
      }
    }
  }
`);

const FOLLOWING = graphql(`
  query Following($userId: ID!, $first: Int!, $after: String) {
    following(userId: $userId, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...UserRowFields
        }
      }
    }
  }
`);

export function FollowListPage({ side }: { side: "followers" | "following" }) {
  const { t } = useTranslation("owner");
  const { id = "" } = useParams();
  const [owner] = useQuery({ query: FOLLOW_LIST_OWNER, variables: { id } });
  const followers = useConnection(FOLLOWERS, { userId: id, first: 20 }, (data) => data.followers, {
    pause: side !== "followers",
  });
  const following = useConnection(FOLLOWING, { userId: id, first: 20 }, (data) => data.following, {
    pause: side !== "following",
  });
  const list = side === "followers" ? followers : following;
  const user = owner.data?.user;
  if (owner.data && !user) return <NotFound />;
  return (
    <section aria-labelledby="follow-title">
      <p className="small">
        <Link to={`/users/${encodeURIComponent(id)}`}>{user?.nickname ?? "…"}</Link>
      </p>
      <h1 id="follow-title">{t(`follows.${side}Title`, { name: user?.nickname ?? "" })}</h1>
      <nav className="tabs" aria-label={t("follows.label")}>
        <Link to={`/users/${encodeURIComponent(id)}/followers`} className={side === "followers" ? "active" : ""}>
          {t("profile.followers", { count: user?.followerCount ?? 0 })}
        </Link>
        <Link to={`/users/${encodeURIComponent(id)}/following`} className={side === "following" ? "active" : ""}>
          {t("profile.following", { count: user?.followingCount ?? 0 })}
        </Link>
      </nav>
      <PeopleList people={list} error={owner.error} empty={t(`follows.${side}Empty`)} testId={`${side}-list`} />
    </section>
  );
}

export function FollowersPage() {
  return <FollowListPage side="followers" />;
}

export function FollowingPage() {
  return <FollowListPage side="following" />;
}
