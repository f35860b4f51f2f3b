/**
 * GraphiQL from the npm package, built with the client and served by Django at /graphql/ (so the
 * explorer works without internet). It sends the session cookie and X-CSRFToken, and runs
 * subscriptions over the same graphql-transport-ws socket as the client.
 */
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import { createClient } from "graphql-ws";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { GRAPHQL_PATH, requestHeaders, websocketUrl } from "../api/client";

const language = navigator.language?.toLowerCase().startsWith("en") ? "en" : "zh-Hans";

const fetcher = createGraphiQLFetcher({
  url: GRAPHQL_PATH,
  fetch: (input, init) =>
    fetch(input, {
      ...init,
      credentials: "same-origin",
      headers: { ...(init?.headers as Record<string, string>), ...requestHeaders(language) },
    }),
  wsClient: createClient({ url: websocketUrl(), lazy: true, connectionParams: () => ({ language }) }),
});

// `/graphql/?query=...` opens with that query: links to a query can be shared.
const queryFromUrl = new URLSearchParams(window.location.search).get("query") ?? undefined;
const DEFAULT_QUERY = "{\n  me {\n    nickname\n  }\n  __typename\n}\n";

createRoot(document.getElementById("graphiql")!).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} query={queryFromUrl} />
  </StrictMode>,
);
