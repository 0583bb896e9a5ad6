// The one reader of process.env: every setting the service takes, validated with zod
// once, with defaults that make `npm start` work on a fresh machine (SQLite under data/).
import { z } from "zod";

const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // SQLite file (`file:./data/faultline.db`, relative to the project) or a PostgreSQL URL.
  DATABASE_URL: z
    .string()
    .default("file:./data/faultline.db")
    .refine((u) => /^(file:|postgres(ql)?:\/\/)/.test(u), "must start with file: (SQLite) or postgresql://"),
  // next-auth signs session tokens with this. scripts/start.ts creates one under data/
  // when it is not set, so a fresh machine works; set it explicitly in production.
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  // Proxies in front of the web server whose X-Forwarded-For and X-Forwarded-Proto are believed:
  // 0 (the default) believes no one and takes the client address from the connection; 1 is one
  // reverse proxy or load balancer (nginx, an ALB), 2 a CDN in front of that, and so on. Set it to
  // exactly the number of proxies you run: one too many lets clients pick their own address.
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  // Accounts one client address may create per hour (server/auth/limits.ts).
  SIGN_UPS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(30),
  // GitHub sign-in is offered only when both are set.
  GITHUB_ID: z.string().min(1).optional(),
  GITHUB_SECRET: z.string().min(1).optional(),
  // Worker tuning.
  WORKER_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  WORKER_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(15_000),
  WORKER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  WORKER_RUN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
  // Attempts of a run that may end with an error before it stays failed. A worker that dies
  // (lease lost) does not count here: see WORKER_LOST_LEASES_MAX.
  WORKER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  // Times a run's worker may die or stall past its lease before the run stays failed: a backstop
  // so nothing is retried forever. (A run whose worker died runs isolated next, so a run that
  // takes the machine's memory is caught ending its own process and fails for that.)
  WORKER_LOST_LEASES_MAX: z.coerce.number().int().min(1).max(100).default(20),
  // Memory one simulation thread may use (JavaScript heap plus the simulator's typed arrays),
  // in MiB. A run that needs more fails with that reason; the worker process carries on.
  // At least 256: the simulator reserves about 150 MB up front for a run of a million events,
  // however small, so less would fail every run.
  WORKER_THREAD_MEMORY_MB: z.coerce.number().int().min(256).max(65_536).default(1024),
  // Heavy runs (server/worker/fairness.ts) allowed to run at once across all workers;
  // unset: half the slots of the live workers, at least one.
  WORKER_HEAVY_RUNS_MAX: z.coerce.number().int().min(1).max(10_000).optional(),
  // Simulations run at this nice value (0-19) so a web server on the same machine stays
  // responsive while they simulate: acknowledgements first, simulation catches up. On Linux
  // only the simulation threads (from their first progress report) are lowered, not the
  // worker's main thread, which renews the leases.
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
});

export type TEnv = z.infer<typeof ZEnv>;

function load(): TEnv {
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${lines}`);
  }
  return parsed.data;
}

export const env: TEnv = load();

export const databaseProvider: "sqlite" | "postgres" = env.DATABASE_URL.startsWith("file:") ? "sqlite" : "postgres";

export const githubEnabled = Boolean(env.GITHUB_ID && env.GITHUB_SECRET);
