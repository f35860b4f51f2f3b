import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    // Files that need a DOM say so with a `@vitest-environment jsdom` comment.
    environment: "node",
  },
});
