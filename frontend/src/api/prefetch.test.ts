/** @vitest-environment jsdom */
import { print } from "graphql";
import { cacheExchange, Client, createRequest, fetchExchange, formatDocument, type OperationResult } from "urql";
import { describe, expect, it, vi } from "vitest";
import { pipe, subscribe, take, toPromise } from "wonka";
import { graphql } from "../gql";
import { FeedDocument, ViewerDocument } from "../gql/graphql";
import { claim, FIRST_PAGE_ELEMENT, firstPageOperations, prefetchExchange, readEmbedded, type PrefetchStore } from "./prefetch";

const FEED_TEST = graphql(`
  query PrefetchProbe($first: Int!) {
    unreadNotificationCount
    feed(first: $first) {
      edges {
        node {
          id
        }
      }
    }
  }
`);

const EMBEDDED = { data: { unreadNotificationCount: 3, feed: { __typename: "PostConnection", edges: [] } } };

function store(language = "zh-Hans", variables = { first: 10 }, result: unknown = EMBEDDED): PrefetchStore {
  return { PrefetchProbe: { language, variables: JSON.stringify(variables), result } };
}

function clientWith(prefetched: PrefetchStore, language = "zh-Hans") {
  const fetch = vi.fn(async () => new Response(JSON.stringify({ data: { unreadNotificationCount: 7, feed: { __typename: "PostConnection", edges: [] } } }), { headers: { "Content-Type": "application/json" } }));
  const client = new Client({ url: "http://test/graphql/", fetch, exchanges: [cacheExchange, prefetchExchange(language, () => prefetched), fetchExchange] });
  return { client, fetch };
}

async function run(client: Client, requestPolicy: "cache-first" | "network-only" = "cache-first"): Promise<OperationResult> {
  return pipe(client.executeQuery(createRequest(FEED_TEST, { first: 10 }), { requestPolicy }), take(1), toPromise);
}

function page(json: string): Document {
  document.body.innerHTML = `<div id="root"></div><script id="${FIRST_PAGE_ELEMENT}" type="application/json">${json}</script>`;
  return document;
}

describe("the first page's embedded answers", () => {
  it("answer the matching operation synchronously, once; a refetch goes to the network", async () => {
    const { client, fetch } = clientWith(store());
    let first: OperationResult | undefined;
    const { unsubscribe } = pipe(
      client.executeQuery(createRequest(FEED_TEST, { first: 10 })),
      subscribe((result) => {
        first ??= result;
      }),
    );
    // Before any await: the result is there for the page's first render (no loading state).
    expect(first?.data?.unreadNotificationCount).toBe(3);
    unsubscribe();
    expect(fetch).not.toHaveBeenCalled();
    expect((await run(client, "network-only")).data?.unreadNotificationCount).toBe(7);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("are spent after one use even when the page asks again with a new client", async () => {
    const shared = store();
    const one = clientWith(shared);
    expect((await run(one.client)).data?.unreadNotificationCount).toBe(3);
    const two = clientWith(shared); // after login, logout or a language change
    expect((await run(two.client)).data?.unreadNotificationCount).toBe(7);
    expect(two.fetch).toHaveBeenCalledTimes(1);
  });

  it("are ignored in another language, with other variables, or for a network-only request", async () => {
    for (const prefetched of [store("en"), store("zh-Hans", { first: 20 })]) {
      const { client, fetch } = clientWith(prefetched);
      expect((await run(client)).data?.unreadNotificationCount).toBe(7);
      expect(fetch).toHaveBeenCalledTimes(1);
    }
    const { client, fetch } = clientWith(store());
    expect((await run(client, "network-only")).data?.unreadNotificationCount).toBe(7);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("are claimed only by queries, by operation name", () => {
    const prefetched = store();
    const request = createRequest(FEED_TEST, { first: 10 });
    const mutation = { ...request, kind: "mutation", context: { requestPolicy: "cache-first" } } as never;
    expect(claim(prefetched, mutation, "zh-Hans")).toBeNull();
    expect(prefetched.PrefetchProbe).toBeDefined();
  });

  it("are read from the page's JSON data block, escaped as the server writes it", () => {
    const json = JSON.stringify({
      language: "en",
      operations: { PrefetchProbe: { variables: { first: 10 }, result: { data: { text: "</script><b>" } } }, Empty: { variables: {} } },
    }).replace(/</g, "\\u003C").replace(/>/g, "\\u003E");
    const read = readEmbedded(page(json));
    expect(read.PrefetchProbe).toEqual({ language: "en", variables: '{"first":10}', result: { data: { text: "</script><b>" } } });
    expect(read.Empty).toBeUndefined();
  });

  it("are nothing when the page has none or they do not parse", () => {
    document.body.innerHTML = '<div id="root"></div>';
    expect(readEmbedded(document)).toEqual({});
    expect(readEmbedded(page("{not json"))).toEqual({});
    expect(readEmbedded(null)).toEqual({});
  });

  it("are asked for with the documents urql sends: the viewer on every page, the feed on its own", () => {
    const operations = firstPageOperations({ viewer: print(formatDocument(ViewerDocument)), feed: print(formatDocument(FeedDocument)) });
    expect(operations.map((o) => [o.name, o.route, o.variables])).toEqual([
      ["Viewer", "*", {}],
      ["Feed", "/", { first: 10 }],
    ]);
    expect(operations[1].query).toContain("fragment PostCardFields");
    expect(operations[1].query).toContain("__typename");
  });
});
