import type { CodegenConfig } from "@graphql-codegen/cli";

// Typed operations from the schema that `manage.py graphql_schema` prints (frontend/schema.graphql).
// `npm run codegen:check` (part of `make test`) fails when src/gql/ is stale.
const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: true,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false, gqlTagName: "graphql" },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        skipTypename: false,
        scalars: { DateTime: "string", Date: "string", Upload: "File" },
      },
    },
  },
};

export default config;
