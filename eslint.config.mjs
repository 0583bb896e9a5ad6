// Lint rules. The one rule that matters most: the simulator (server/sim) stays pure,
// so it can run in the worker, the CLI, tests and the browser and stay deterministic.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";

export default tseslint.config(
  { ignores: ["node_modules/**", ".next/**", ".next-*/**", "dist/**", "server/db/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "server/sim/**/generated/**", "server/sim/**/generated.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ["app/**/*.tsx"], plugins: { "react-hooks": reactHooks }, rules: reactHooks.configs.recommended.rules },
  { files: ["**/*.mjs", "**/*.js"], languageOptions: { globals: { ...globals.node } } },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-console": "off",
    },
  },
  {
    // Programs that run inside the sandbox (and natively): CommonJS scripts, as Node runs them.
    files: ["server/sim/**/*.js", "tests/sim/fixtures/programs/**/*.js"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off", "@typescript-eslint/no-this-alias": "off" },
  },
  {
    files: ["server/sim/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["node:*", "fs", "path", "os", "child_process", "worker_threads", "crypto", "http", "https", "net"], message: "server/sim is pure: no Node I/O." },
          { group: ["next", "next/*", "react", "react-dom", "@prisma/*", "@trpc/*", "next-auth", "next-auth/*", "@/server/db/*", "@/server/api/*", "@/server/auth/*", "@/server/worker/*", "@/app/*"], message: "server/sim must not depend on the service." },
        ],
      }],
      "no-restricted-globals": ["error",
        { name: "process", message: "server/sim reads no environment." },
        { name: "performance", message: "server/sim reads no wall clock." },
        { name: "setTimeout", message: "server/sim uses virtual time only." },
        { name: "setInterval", message: "server/sim uses virtual time only." },
      ],
      "no-restricted-properties": ["error",
        { object: "Math", property: "random", message: "Use the seeded random streams." },
        { object: "Date", property: "now", message: "server/sim reads no wall clock." },
      ],
      "no-restricted-syntax": ["error", { selector: "NewExpression[callee.name='Date']", message: "server/sim reads no wall clock." }],
    },
  },
);
