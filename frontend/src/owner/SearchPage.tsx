/** Search people (by nickname) and posts (title and body), from the header's search button. */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { useConnection } from "../api/pagination";
import { graphql } from "../gql";
import { Empty, PagedList } from "../ui/states";
import { PostCard } from "./PostCard";
import { PeopleList } from "./UserRow";

const SEARCH_USERS = graphql(`
  query SearchUsers($query: String!, $first: Int!, $after: String) {
    searchUsers(query: $query, first: $first, after: $after) {
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

const SEARCH_POSTS = graphql(`
  query SearchPosts($query: String!, $first: Int!, $after: String) {
    searchPosts(query: $query, first: $first, after: $after) {
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

type Kind = "people" | "posts";

export function SearchPage() {
  const { t } = useTranslation("owner");
  const [params, setParams] = useSearchParams();
  const query = (params.get("q") ?? "").trim();
  const kind: Kind = params.get("type") === "posts" ? "posts" : "people";
  const [text, setText] = useState(params.get("q") ?? "");

  function submit(event: FormEvent) {
    event.preventDefault();
    setParams({ q: text.trim(), type: kind });
  }

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{t("search.title")}</h1>
      <form role="search" className="row search-form" onSubmit={submit}>
        <label htmlFor="search-query" className="visually-hidden">
          {t("search.label")}
        </label>
        <input
          id="search-query"
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t("search.placeholder")}
          maxLength={100}
        />
        <button type="submit" className="button primary small">
          {t("search.submit")}
        </button>
      </form>
      <nav className="tabs" aria-label={t("search.kinds")}>
        {(["people", "posts"] as Kind[]).map((choice) => (
          <Link
            key={choice}
            to={`?${new URLSearchParams({ q: query, type: choice })}`}
            className={choice === kind ? "active" : ""}
            aria-current={choice === kind ? "page" : undefined}
          >
            {t(`search.${choice}`)}
          </Link>
        ))}
      </nav>
      {query.length < 1 ? (
        <Empty>{t("search.hint")}</Empty>
      ) : kind === "people" ? (
        <PeopleResults query={query} />
      ) : (
        <PostResults query={query} />
      )}
    </section>
  );
}

function PeopleResults({ query }: { query: string }) {
  const { t } = useTranslation("owner");
  const users = useConnection(SEARCH_USERS, { query, first: 20 }, (data) => data.searchUsers);
  return <PeopleList people={users} empty={t("search.noPeople", { query })} testId="search-people" />;
}

function PostResults({ query }: { query: string }) {
  const { t } = useTranslation("owner");
  const posts = useConnection(SEARCH_POSTS, { query, first: 10 }, (data) => data.searchPosts);
  return (
    <>
      <PagedList list={posts} empty={t("search.noPosts", { query })} testId="search-posts" as="div" className="post-list">
        {(post) => <PostCard post={post} />}
      </PagedList>
    </>
  );
}
