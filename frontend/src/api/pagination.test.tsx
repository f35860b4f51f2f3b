/** @vitest-environment jsdom */
import { act } from "react";
import { createRoot } from "react-dom/client";
import { cacheExchange, Client, Provider, type Exchange } from "urql";
import { filter, fromValue, map, mergeMap, pipe } from "wonka";
import { describe, expect, it } from "vitest";
import { graphql } from "../gql";
import { appendUnique, nodesOf, prependUnique, useConnection, type ConnectionState } from "./pagination";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe("merging pages", () => {
  const key = (n: { id: string }) => n.id;
  it("skips empty edges", () => {
    expect(nodesOf({ edges: [{ node: { id: "a" } }, null, { node: null }] })).toEqual([{ id: "a" }]);
    expect(nodesOf(null)).toEqual([]);
  });
  it("appends a page without the rows it already has", () => {
    expect(appendUnique([{ id: "a" }, { id: "b" }], [{ id: "b" }, { id: "c" }], key).map(key)).toEqual(["a", "b", "c"]);
  });
  it("prepends older history without duplicates", () => {
    expect(prependUnique([{ id: "c" }, { id: "d" }], [{ id: "a" }, { id: "c" }], key).map(key)).toEqual(["a", "c", "d"]);
  });
});

const FEED_PAGE = graphql(`
  query PaginationTestFeed($first: Int!, $after: String) {
    feed(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          body
        }
      }
    }
  }
`);

/** A server of 5 posts paged by cursor ("c<index>"), recording the variables it was asked. */
function fakeServer(asked: Array<Record<string, unknown>>): Exchange {
  const rows = ["p1", "p2", "p3", "p4", "p5"];
  return () => (operations$) =>
    pipe(
      operations$,
      filter((operation) => operation.kind === "query"),
      mergeMap((operation) => {
        const variables = operation.variables as { first: number; after?: string | null };
        asked.push({ ...variables });
        const start = variables.after ? Number(variables.after.slice(1)) + 1 : 0;
        const page = rows.slice(start, start + variables.first);
        const data = {
          feed: {
            __typename: "PostConnection",
            pageInfo: {
              __typename: "PageInfo",
              hasNextPage: start + variables.first < rows.length,
              endCursor: page.length ? `c${start + page.length - 1}` : null,
            },
            edges: page.map((id) => ({ __typename: "PostEdge", node: { __typename: "Post", id, body: id } })),
          },
        };
        return pipe(
          fromValue(data),
          map((value) => ({ operation, data: value, stale: false, hasNext: false })),
        );
      }),
    );
}

describe("useConnection", () => {
  it("loads the next page with the last endCursor and appends it until there is no more", async () => {
    const asked: Array<Record<string, unknown>> = [];
    const client = new Client({ url: "/graphql/", exchanges: [cacheExchange, fakeServer(asked)] });
    let state: ConnectionState<{ id: string }> | null = null;
    function Probe() {
      state = useConnection(FEED_PAGE, { first: 2 }, (data) => data.feed);
      return null;
    }
    const root = createRoot(document.createElement("div"));
    await act(async () => {
      root.render(
        <Provider value={client}>
          <Probe />
        </Provider>,
      );
    });
    expect(state!.nodes.map((n) => n.id)).toEqual(["p1", "p2"]);
    expect(state!.hasMore).toBe(true);
    await act(async () => state!.loadMore());
    expect(state!.nodes.map((n) => n.id)).toEqual(["p1", "p2", "p3", "p4"]);
    await act(async () => state!.loadMore());
    expect(state!.nodes.map((n) => n.id)).toEqual(["p1", "p2", "p3", "p4", "p5"]);
    expect(state!.hasMore).toBe(false);
    expect(asked).toEqual([{ first: 2 }, { first: 2, after: "c1" }, { first: 2, after: "c3" }]);
    root.unmount();
  });
});
