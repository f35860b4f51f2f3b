import { babelOptimizerPlugin } from "@graphql-codegen/client-preset";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The client is served by Django: index.html at /app/ (webclient view, with the CSRF cookie) and
// the assets through staticfiles at /static/app/. `npm run dev` proxies the API to a running server.
const backend = process.env.BACKEND_URL ?? "http://127.0.0.1:8000";

export default defineConfig(({ command }) => ({
  base: command === "build" ? "/static/app/" : "/app/",
  plugins: [
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
