import { babelOptimizerPlugin } from "@graphql-codegen/client-preset";
import react from "@vitejs/plugin-react";
import { print } from "graphql";
import { defineConfig, type Plugin } from "vite";
import { FEED_FIRST, prefetchScript } from "./src/api/prefetch";
import { FeedDocument, ViewerDocument } from "./src/gql/graphql";

// index.html starts the feed's two queries itself while the JavaScript downloads (src/api/prefetch.ts).
function prefetchFirstPage(): Plugin {
  const script = prefetchScript([
    { name: "Viewer", query: print(ViewerDocument), variables: {} },
    { name: "Feed", query: print(FeedDocument), variables: { first: FEED_FIRST } },
  ]);
  return {
    name: "prefetch-first-page",
    transformIndexHtml: {
      order: "pre",
      handler(html, context) {
        if (!context.filename.endsWith("index.html")) return html;
        return html.replace("<head>", `<head>\n    <script>${script}</script>`);
      },
    },
  };
}

// The client is served by Django: index.html at /app/ (webclient view, with the CSRF cookie) and
// the assets through staticfiles at /static/app/. `npm run dev` proxies the API to a running server.
const backend = process.env.BACKEND_URL ?? "http://127.0.0.1:8000";

export default defineConfig(({ command }) => ({
  base: command === "build" ? "/static/app/" : "/app/",
  plugins: [
    prefetchFirstPage(),
    react({
      babel: {
        // Replaces each graphql(`...`) call with an import of that one document, so a page's chunk
        // carries only its own operations instead of the map of all of them.
        plugins: [[babelOptimizerPlugin, { artifactDirectory: "./src/gql", gqlTagName: "graphql" }]],
      },
    }),
  ],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: { app: "index.html", graphiql: "graphiql.html" },
    },
  },
  server: {
    port: Number(process.env.VITE_PORT ?? 5173),
    proxy: {
      "/graphql/": { target: backend, ws: true },
      "/media/": backend,
      "/events/": backend,
      "/static/": backend,
    },
  },
}));
