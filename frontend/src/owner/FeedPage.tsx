import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useConnection } from "../api/pagination";
import { FEED_FIRST } from "../api/prefetch";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import { PagedList } from "../ui/states";
import { PostCard } from "./PostCard";

export const FEED = graphql(`
  query Feed($first: Int!, $after: String) {
    feed(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...PostCardFields
        }
      }
    }
  }
`);

export const FEED_PAGE_SIZE = FEED_FIRST;

export function FeedPage() {
  const { t } = useTranslation("owner");
  const { viewer } = useSession();
  const feed = useConnection(FEED, { first: FEED_PAGE_SIZE }, (data) => data.feed);
  return (
    <section aria-labelledby="feed-title">
      <div className="page-header">
        <h1 id="feed-title">{t("feed.title")}</h1>
        {viewer && (
          <Link to="/posts/new" className="button primary small">
            {t("feed.newPost")}
          </Link>
        )}
      </div>
      <PagedList list={feed} empty={t("feed.empty")} testId="feed" as="div" className="post-list">
        {(post) => <PostCard post={post} />}
      </PagedList>
    </section>
  );
}
