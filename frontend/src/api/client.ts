/**
 * The one API client: GraphQL over HTTP with the session cookie and X-CSRFToken, subscriptions
 * over graphql-ws on the same origin (the session cookie authenticates the socket; the UI language
 * goes in connectionParams). A new client, and so a new socket, is made after login and logout.
 */
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { cacheExchange, Client, fetchExchange, subscriptionExchange } from "urql";
import { prefetchExchange } from "./prefetch";
import { csrfHeaders } from "./csrf";

export const GRAPHQL_PATH = "/graphql/";

export function websocketUrl(location: Pick<Location, "protocol" | "host"> = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${GRAPHQL_PATH}`;
}

export interface Api {
  client: Client;
  socket: WsClient;
  dispose: () => void;
}

export function requestHeaders(language: string, cookies?: string): Record<string, string> {
  return { "Accept-Language": language, ...csrfHeaders(cookies) };
}

export function createApi({ language }: { language: string }): Api {
  const socket = createWsClient({
    url: websocketUrl(),
    lazy: true,
    connectionParams: () => ({ language }),
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** retries, 15000)));
    },
    keepAlive: 20000,
  });
  const client = new Client({
    url: GRAPHQL_PATH,
    preferGetMethod: false,
    fetchOptions: () => ({ credentials: "same-origin", headers: requestHeaders(language) }),
    exchanges: [
      cacheExchange,
      prefetchExchange(language),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || "" };
          return {
            subscribe(sink) {
              const unsubscribe = socket.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return {
    client,
    socket,
    dispose: () => {
      void socket.dispose();
    },
  };
}
