import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const src = path.resolve(process.cwd(), "src");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "gql" ? [] : sources(full);
    return /\.(ts|tsx)$/.test(name) && name !== "gql.guard.test.ts" ? [full] : [];
  });
}

describe("operations", () => {
  it("are never assigned to the name the optimizer imports (const FeedDocument = graphql(...) breaks the bundle)", () => {
    const offenders = sources(src).filter((file) => /const\s+\w+(Document|FragmentDoc)\s*=\s*graphql\(/.test(readFileSync(file, "utf-8")));
    expect(offenders).toEqual([]);
  });

  it("are all named, so each gets its own typed document", () => {
    const anonymous = sources(src).filter((file) => /graphql\(`\s*(query|mutation|subscription)\s*[({]/.test(readFileSync(file, "utf-8")));
    expect(anonymous).toEqual([]);
  });
});
