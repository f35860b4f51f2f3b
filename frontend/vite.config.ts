import { babelOptimizerPlugin } from "@graphql-codegen/client-preset";
import react from "@vitejs/plugin-react";
import { print } from "graphql";
import { formatDocument } from "urql";
import { defineConfig, type Plugin } from "vite";
import { firstPageOperations } from "./src/api/prefetch";
import { FeedDocument, ViewerDocument } from "./src/gql/graphql";

// The documents the `/app/` view runs for a signed-in viewer and embeds in the page (src/api/prefetch.ts):
// written beside index.html as dist/first-page.json, as codegen prints them with the __typename fields
// urql adds to what it sends (its document cache needs them in the answers to invalidate the feed).
function firstPageDocuments(): Plugin {
  return {
    name: "first-page-documents",
    apply: "build",
    generateBundle() {
      const operations = firstPageOperations({ viewer: print(formatDocument(ViewerDocument)), feed: print(formatDocument(FeedDocument)) });
      this.emitFile({ type: "asset", fileName: "first-page.json", source: JSON.stringify(operations, null, 2) });
    },
  };
}

// The client is served by Django: index.html at /app/ (webclient view, with the CSRF cookie) and
// the assets through staticfiles at /static/app/. `npm run dev` proxies the API to a running server.
const backend = process.env.BACKEND_URL ?? "http://127.0.0.1:8000";

export default defineConfig(({ command }) => ({
  base: command === "build" ? "/static/app/" : "/app/",
  plugins: [
    firstPageDocuments(),
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
