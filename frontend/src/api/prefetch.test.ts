import { Client, createRequest, fetchExchange, type OperationResult } from "urql";
import { describe, expect, it, vi } from "vitest";
import { pipe, take, toPromise } from "wonka";
import { graphql } from "../gql";
import { claim, prefetchExchange, prefetchScript, type PrefetchStore } from "./prefetch";

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

function store(language = "zh-Hans", variables = { first: 10 }, body: unknown = { data: { unreadNotificationCount: 3, feed: { edges: [] } } }): PrefetchStore {
  return { PrefetchProbe: { language, variables: JSON.stringify(variables), promise: Promise.resolve(body) } };
}

function clientWith(prefetched: PrefetchStore, language = "zh-Hans") {
  const fetch = vi.fn(async () => new Response(JSON.stringify({ data: { unreadNotificationCount: 7, feed: { edges: [] } } }), { headers: { "Content-Type": "application/json" } }));
  const client = new Client({ url: "http://test/graphql/", fetch, exchanges: [prefetchExchange(language, () => prefetched), fetchExchange] });
  return { client, fetch };
}

async function run(client: Client): Promise<OperationResult> {
  return pipe(client.executeQuery(createRequest(FEED_TEST, { first: 10 })), take(1), toPromise);
}

describe("the first page's prefetched queries", () => {
  it("answers the matching operation from the prefetch, once, then goes to the network", async () => {
    const { client, fetch } = clientWith(store());
    expect((await run(client)).data?.unreadNotificationCount).toBe(3);
    expect(fetch).not.toHaveBeenCalled();
    expect((await run(client)).data?.unreadNotificationCount).toBe(7);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("ignores a prefetch in another language or with other variables", async () => {
    for (const prefetched of [store("en"), store("zh-Hans", { first: 20 })]) {
      const { client, fetch } = clientWith(prefetched);
      expect((await run(client)).data?.unreadNotificationCount).toBe(7);
      expect(fetch).toHaveBeenCalledTimes(1);
    }
  });

  it("passes on the API's errors as the operation's", async () => {
    const { client } = clientWith(store("zh-Hans", { first: 10 }, { data: null, errors: [{ message: "服务繁忙", extensions: { code: "DATABASE_UNAVAILABLE" } }] }));
    const result = await run(client);
    expect(result.error?.graphQLErrors[0].message).toBe("服务繁忙");
  });

  it("claims only queries, by operation name", () => {
    const prefetched = store();
    const request = createRequest(FEED_TEST, { first: 10 });
    const mutation = { ...request, kind: "mutation", context: { requestPolicy: "cache-first" } } as never;
    expect(claim(prefetched, mutation, "zh-Hans")).toBeNull();
    expect(prefetched.PrefetchProbe).toBeDefined();
  });

  it("the inline script runs on the feed's address only and sends the language and CSRF token", async () => {
    const script = prefetchScript([{ name: "Viewer", query: "query Viewer { me { id } }", variables: {} }]);
    const calls: { url: string; init: RequestInit }[] = [];
    const sandbox = {
      location: { pathname: "/app/" },
      localStorage: { getItem: () => "en" },
      navigator: { languages: ["zh-CN"] },
      document: { cookie: "a=1; csrftoken=tok%2Ben" },
      fetch: (url: string, init: RequestInit) => {
        calls.push({ url, init });
        return Promise.resolve({ json: () => Promise.resolve({ data: { me: null } }) });
      },
      window: {} as Record<string, unknown>,
    };
    new Function(...Object.keys(sandbox), script)(...Object.values(sandbox));
    expect(calls).toHaveLength(1);
    expect(calls[0].init.headers).toEqual({ "Content-Type": "application/json", "Accept-Language": "en", "X-CSRFToken": "tok+en" });
    const stored = (sandbox.window.__communityPrefetch as PrefetchStore).Viewer!;
    expect(stored.language).toBe("en");
    expect(await stored.promise).toEqual({ data: { me: null } });

    const elsewhere = { ...sandbox, location: { pathname: "/app/events" }, window: {} as Record<string, unknown> };
    calls.length = 0;
    new Function(...Object.keys(elsewhere), script)(...Object.values(elsewhere));
    expect(calls).toHaveLength(0);
  });
});

