/**
 * The first page's answers, embedded in the page itself: for a signed-in viewer, the `/app/` view
 * (community/webclient.py) runs the documents that `firstPageOperations` lists (the build writes them
 * to dist/first-page.json, vite.config.ts) through the API's schema and puts the results in a
 * `<script type="application/json" id="first-page-data">` (data, not code: the CSP stands). The
 * `prefetchExchange` hands each one to urql synchronously, once, when the page asks for the same
 * operation with the same variables and language, so the feed renders with its posts on its first
 * render: no query after the JavaScript, no round trip. Anything else goes to the network.
 */
import { makeResult, type Exchange, type Operation, type OperationResult } from "urql";
import { filter, fromValue, map, merge, mergeMap, pipe, share } from "wonka";

/** The feed's first page size: the embedded answer and the feed page ask for the same. */
export const FEED_FIRST = 10;

export const FIRST_PAGE_ELEMENT = "first-page-data";

export interface Prefetched {
  variables: string;
  language: string;
  result: unknown;
}

export type PrefetchStore = Record<string, Prefetched | undefined>;

/** What the build tells the server to run for a page: `route` "/" is the feed's address, "*" any page. */
export interface FirstPageOperation {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  route: string;
}

export function firstPageOperations(documents: { viewer: string; feed: string }): FirstPageOperation[] {
  return [
    { name: "Viewer", query: documents.viewer, variables: {}, route: "*" },
    { name: "Feed", query: documents.feed, variables: { first: FEED_FIRST }, route: "/" },
  ];
}

interface Embedded {
  language?: unknown;
  operations?: Record<string, { variables?: unknown; result?: unknown } | undefined>;
}

/** Reads the page's embedded answers (none, or unreadable: an empty store). */
export function readEmbedded(root: Pick<Document, "getElementById"> | null = typeof document === "undefined" ? null : document): PrefetchStore {
  const element = root?.getElementById(FIRST_PAGE_ELEMENT);
  if (!element?.textContent) return {};
  let embedded: Embedded;
  try {
    embedded = JSON.parse(element.textContent) as Embedded;
  } catch {
    return {};
  }
  const store: PrefetchStore = {};
  if (typeof embedded.language !== "string" || !embedded.operations) return store;
  for (const [name, entry] of Object.entries(embedded.operations)) {
    if (!entry?.result) continue;
    store[name] = { language: embedded.language, variables: JSON.stringify(entry.variables ?? {}), result: entry.result };
  }
  return store;
}

let pageStore: PrefetchStore | null = null;

/** The page's store, read once: after login, logout or a language change, the new client finds it spent. */
function globalStore(): PrefetchStore {
  pageStore ??= readEmbedded();
  return pageStore;
}

function operationName(operation: Operation): string | null {
  for (const definition of operation.query.definitions) {
    if (definition.kind === "OperationDefinition") return definition.name?.value ?? null;
  }
  return null;
}

/** The embedded answer for this operation, once: same name, same variables, same language. */
export function claim(store: PrefetchStore, operation: Operation, language: string): unknown {
  if (operation.kind !== "query" || operation.context.requestPolicy === "network-only") return null;
  const name = operationName(operation);
  const entry = name ? store[name] : undefined;
  if (!name || !entry) return null;
  store[name] = undefined; // one use: a refetch goes to the network
  if (entry.language !== language || entry.variables !== JSON.stringify(operation.variables ?? {})) return null;
  return entry.result;
}

/** An urql exchange answering the first operations from the page's embedded answers, synchronously. */
export function prefetchExchange(language: string, store: () => PrefetchStore = globalStore): Exchange {
  return ({ forward }) =>
    (operations$) => {
      const answers = new WeakMap<Operation, unknown>();
      const tagged$ = pipe(
        operations$,
        map((operation: Operation) => {
          const result = claim(store(), operation, language);
          // A re-executed operation is the same object: only its first pass is answered here.
          if (result) answers.set(operation, result);
          else answers.delete(operation);
          return operation;
        }),
        share,
      );
      const answered$ = pipe(
        tagged$,
        filter((operation: Operation) => answers.has(operation)),
        mergeMap((operation: Operation) =>
          fromValue<OperationResult>(makeResult(operation, answers.get(operation) as Parameters<typeof makeResult>[1])),
        ),
      );
      const forwarded$ = forward(pipe(tagged$, filter((operation: Operation) => !answers.has(operation))));
      return merge([answered$, forwarded$]);
    };
}
