/**
 * The first page's queries, started by a small inline script in index.html while the JavaScript
 * still downloads (see `prefetchScript`, injected at build time by vite.config.ts), and handed to
 * urql by `prefetchExchange` when the page asks for the same operation with the same variables and
 * language. Without it the feed's query could only leave once the bundle had loaded, parsed and
 * rendered: a waterfall of the JavaScript, then the query, then the posts.
 */
import { makeErrorResult, makeResult, type Exchange, type Operation, type OperationResult } from "urql";
import { filter, fromPromise, map, merge, mergeMap, pipe, share } from "wonka";

/** The feed's first page size: the prefetch and the feed page ask for the same. */
export const FEED_FIRST = 10;

export interface Prefetched {
  variables: string;
  language: string;
  promise: Promise<unknown>;
}

export type PrefetchStore = Record<string, Prefetched | undefined>;

const GLOBAL = "__communityPrefetch";

function globalStore(): PrefetchStore {
  const holder = globalThis as unknown as Record<string, PrefetchStore | undefined>;
  return holder[GLOBAL] ?? {};
}

function operationName(operation: Operation): string | null {
  for (const definition of operation.query.definitions) {
    if (definition.kind === "OperationDefinition") return definition.name?.value ?? null;
  }
  return null;
}

/** The prefetched response for this operation, once: same name, same variables, same language. */
export function claim(store: PrefetchStore, operation: Operation, language: string): Promise<unknown> | null {
  if (operation.kind !== "query" || operation.context.requestPolicy === "network-only") return null;
  const name = operationName(operation);
  const entry = name ? store[name] : undefined;
  if (!name || !entry) return null;
  store[name] = undefined; // one use: a refetch goes to the network
  if (entry.language !== language || entry.variables !== JSON.stringify(operation.variables ?? {})) return null;
  return entry.promise;
}

/** An urql exchange answering the first operations from the inline script's responses. */
export function prefetchExchange(language: string, store: () => PrefetchStore = globalStore): Exchange {
  return ({ forward }) =>
    (operations$) => {
      const answers = new WeakMap<Operation, Promise<unknown>>();
      const tagged$ = pipe(
        operations$,
        map((operation: Operation) => {
          const promise = claim(store(), operation, language);
          if (promise) answers.set(operation, promise);
          return operation;
        }),
        share,
      );
      const answered$ = pipe(
        tagged$,
        filter((operation: Operation) => answers.has(operation)),
        mergeMap((operation: Operation) =>
          fromPromise(
            answers.get(operation)!.then(
              (body) => makeResult(operation, body as Parameters<typeof makeResult>[1]),
              (error: Error) => makeErrorResult(operation, error),
            ) as Promise<OperationResult>,
          ),
        ),
      );
      const forwarded$ = forward(pipe(tagged$, filter((operation: Operation) => !answers.has(operation))));
      return merge([answered$, forwarded$]);
    };
}

/**
 * The inline script: on the feed's address only, it posts the given operations with the language
 * and CSRF token the client would send (the same rules as i18n's detectLanguage and api/csrf).
 */
export function prefetchScript(operations: { name: string; query: string; variables: Record<string, unknown> }[]): string {
  const body = `(function(){try{
if(!/^\\/app\\/?$/.test(location.pathname))return;
var s=null;try{s=localStorage.getItem("community.language")}catch(e){}
function m(t){if(!t)return null;t=t.toLowerCase();if(t==="en"||t.indexOf("en-")===0)return"en";if(t==="zh"||t.indexOf("zh-")===0)return"zh-Hans";return null}
var l=m(s);if(!l){var p=navigator.languages||[];for(var i=0;i<p.length&&!l;i++)l=m(p[i])}l=l||"zh-Hans";
var c=(document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]*)/)||[])[1];
var h={"Content-Type":"application/json","Accept-Language":l};if(c)h["X-CSRFToken"]=decodeURIComponent(c);
var o=window.${GLOBAL}={};
${JSON.stringify(operations)}.forEach(function(q){o[q.name]={variables:JSON.stringify(q.variables),language:l,
promise:fetch("/graphql/",{method:"POST",credentials:"same-origin",headers:h,body:JSON.stringify({operationName:q.name,query:q.query,variables:q.variables})}).then(function(r){return r.json()})}});
}catch(e){}})();`;
  return body.replace(/\n/g, "");
}
