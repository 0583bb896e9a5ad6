// scenario.*: create from a template or a pasted document, save new immutable
// versions, read (owner, or anyone with access), list, share, fork.
import { z } from "zod";
import type { Prisma } from "@/server/db/generated/sqlite/client";
import { createTRPCRouter, protectedProcedure, publicProcedure, zId, zShareToken } from "../trpc";
import { zInt, zText, zVersion } from "../input";
import { notFound, scenarioInvalid, badRequest } from "../errors";
import { accessTo, newShareToken, visibilityChange, ZVisibility } from "../access";
import { encodeFaultKinds, decodeFaultKinds, SERVICE_LIMITS } from "@/server/scenarios/validate";
import { createScenario } from "@/server/scenarios/store";
import { checkScenarioOffThread } from "@/server/scenarios/check-pool";
import { TEMPLATES, templateById } from "@/server/templates";
import { containsText, pageArgs, PAGE_SIZE_MAX } from "@/server/db/queries";
import type { Db } from "@/server/db";
import type { DbProvider } from "@/server/db/client";
import { assertShareable, inheritTie, isLocked, shareableNow, sharingLockReason, staffOfScenarioCourse } from "@/server/courses/integrity";

/** Scenarios one account may keep, and versions one scenario may have: storage stays bounded. */
export const SCENARIOS_PER_USER_MAX = 2000;
import { VERSIONS_PER_SCENARIO_MAX } from "@/server/scenarios/validate";
export { VERSIONS_PER_SCENARIO_MAX };

export async function assertScenarioQuota(db: Db, ownerId: string) {
  const count = await db.scenario.count({ where: { ownerId, deletedAt: null } });
  if (count >= SCENARIOS_PER_USER_MAX) {
    throw badRequest(`You have ${count} scenarios; the limit is ${SCENARIOS_PER_USER_MAX}. Delete some you no longer need.`);
  }
}

/** Pages a list may be paged to (a page beyond the last is empty, not an error). */
export const LIST_PAGE_MAX = 100_000;

/** A scenario document, kept exactly as written (not trimmed). */
const zSource = zText({ max: SERVICE_LIMITS.maxDocumentBytes, trim: false, maxMessage: `the document is over ${SERVICE_LIMITS.maxDocumentBytes / 1024} KiB` }).refine(
  (s) => s.trim().length > 0,
  "the document is empty",
);

/** A new scenario: from a template, or from a document. */
const ZScenarioCreate = z
  .object({ templateId: zText({ max: 64 }).optional(), source: zSource.optional(), note: zText({ max: 200 }).optional() })
  .superRefine((v, ctx) => {
    if (v.templateId === undefined && v.source === undefined) ctx.addIssue({ code: "custom", path: ["source"], message: "give a document (source) or a template (templateId)" });
    if (v.templateId !== undefined && v.source !== undefined) ctx.addIssue({ code: "custom", path: ["templateId"], message: "give a template or a document, not both" });
  });

export const ZListInput = z.object({
  page: zInt(1, LIST_PAGE_MAX, "a page number").default(1),
  pageSize: zInt(1, PAGE_SIZE_MAX, "a page size").default(20),
  q: zText({ max: 120 }).optional(),
  protocol: zText({ max: 40 }).optional(),
  faultKind: zText({ max: 20 }).optional(),
  sort: z.enum(["updated", "created", "oldest", "name"]).default("updated"),
});

const scenarioListSelect = {
  id: true,
  name: true,
  description: true,
  protocol: true,
  faultKinds: true,
  visibility: true,
  latestVersion: true,
  createdAt: true,
  updatedAt: true,
  owner: { select: { name: true } },
} as const;

function listWhere(provider: DbProvider, input: z.infer<typeof ZListInput>): Prisma.ScenarioWhereInput {
  return {
    deletedAt: null,
    ...(input.q ? { name: containsText(provider, input.q) } : {}),
    ...(input.protocol ? { protocol: input.protocol } : {}),
    ...(input.faultKind ? { faultKinds: { contains: `,${input.faultKind},` } } : {}),
  };
}

function listOrder(sort: z.infer<typeof ZListInput>["sort"]): Prisma.ScenarioOrderByWithRelationInput[] {
  if (sort === "name") return [{ name: "asc" }, { id: "asc" }];
  if (sort === "oldest") return [{ createdAt: "asc" }, { id: "asc" }];
  if (sort === "created") return [{ createdAt: "desc" }, { id: "desc" }];
  return [{ updatedAt: "desc" }, { id: "desc" }];
}

async function listScenarios(db: Db, where: Prisma.ScenarioWhereInput, input: z.infer<typeof ZListInput>) {
  const [total, rows] = await Promise.all([
    db.scenario.count({ where }),
    db.scenario.findMany({ where, orderBy: listOrder(input.sort), ...pageArgs(input.page, input.pageSize), select: scenarioListSelect }),
  ]);
  return {
    total,
    page: input.page,
    pageSize: input.pageSize,
    items: rows.map((r) => ({ ...r, faultKinds: decodeFaultKinds(r.faultKinds) })),
  };
}

/**
 * Loads a scenario the caller may read, or throws "not found" (also when it is someone else's
 * private one). Work tied to an assignment whose sharing is locked (server/courses/integrity.ts)
 * is read only by its owner and the course's staff, whatever its visibility.
 */
export async function readableScenario(db: Db, id: string, userId: string | null | undefined, token?: string) {
  const scenario = await db.scenario.findFirst({
    where: { id, deletedAt: null },
    select: { id: true, ownerId: true, visibility: true, shareToken: true, name: true, latestVersion: true, assignmentId: true, sharedAfter: true },
  });
  if (!scenario) throw notFound("Scenario");
  let access = accessTo(scenario, userId, token);
  if (access === "viewer" && isLocked(scenario.sharedAfter)) access = null;
  if (!access && (await staffOfScenarioCourse(db, scenario.assignmentId, userId))) access = "viewer";
  if (!access) throw notFound("Scenario");
  return { scenario, access };
}

export const scenarioRouter = createTRPCRouter({
  templates: publicProcedure.query(() =>
    TEMPLATES.map((t) => ({ id: t.id, title: t.title, summary: t.summary, slide: t.slide, source: t.source })),
  ),

  /** Checks a document without saving it (the editor also checks in the browser). */
  validate: publicProcedure.input(z.object({ source: zText({ max: SERVICE_LIMITS.maxDocumentBytes, trim: false, maxMessage: `the document is over ${SERVICE_LIMITS.maxDocumentBytes / 1024} KiB` }) })).mutation(async ({ input }) => {
    const checked = await checkScenarioOffThread(input.source);
    return checked.ok ? { ok: true as const, facts: checked.facts, problems: [] } : { ok: false as const, problems: checked.problems };
  }),

  create: protectedProcedure
    .input(ZScenarioCreate)
    .mutation(async ({ ctx, input }) => {
      let source: string;
      if (input.templateId !== undefined) {
        const template = templateById(input.templateId);
        if (!template) throw notFound("Template");
        source = template.source;
      } else {
        source = input.source!;
      }
      await assertScenarioQuota(ctx.db, ctx.user.id);
      return createScenario(ctx.db, ctx.user.id, source, undefined, input.note);
    }),

  /** Saves the document as a new immutable version; earlier versions and their runs stay as they were. */
  saveVersion: protectedProcedure
    .input(z.object({ id: zId, source: zSource, note: zText({ max: 200 }).default(""), baseVersion: zVersion.optional() }))
    .mutation(async ({ ctx, input }) => {
      const { scenario, access } = await readableScenario(ctx.db, input.id, ctx.user.id);
      if (access !== "owner") throw notFound("Scenario");
      const checked = await checkScenarioOffThread(input.source);
      if (!checked.ok) throw scenarioInvalid(checked.problems);
      if (input.baseVersion !== undefined && input.baseVersion !== scenario.latestVersion) {
        throw badRequest(`This scenario has a newer version (v${scenario.latestVersion}) than the one you edited (v${input.baseVersion}). Reload to see it, then save again.`);
      }
      const { facts } = checked;
      const number = scenario.latestVersion + 1;
      if (number > VERSIONS_PER_SCENARIO_MAX) {
        throw badRequest(`This scenario has ${scenario.latestVersion} versions, the most one scenario may have. Fork it to keep going.`);
      }
      // Both writes or neither; the unique (scenarioId, number) stops two concurrent saves
      // from both becoming version n+1.
      await ctx.db.$transaction([
        ctx.db.scenarioVersion.create({ data: { scenarioId: scenario.id, number, source: input.source, name: facts.name, note: input.note } }),
        ctx.db.scenario.update({
          where: { id: scenario.id, latestVersion: scenario.latestVersion },
          data: { latestVersion: number, name: facts.name, description: facts.description, protocol: facts.protocol, faultKinds: encodeFaultKinds(facts.faultKinds) },
        }),
      ]);
      return { id: scenario.id, version: number };
    }),

  byId: publicProcedure
    .input(z.object({ id: zId, token: zShareToken, version: zVersion.optional() }))
    .query(async ({ ctx, input }) => {
      const { scenario, access } = await readableScenario(ctx.db, input.id, ctx.user?.id, input.token);
      const full = await ctx.db.scenario.findUniqueOrThrow({
        where: { id: scenario.id },
        select: {
          id: true, name: true, description: true, protocol: true, faultKinds: true, visibility: true,
          shareToken: true, latestVersion: true, createdAt: true, updatedAt: true, forkedFromId: true, assignmentId: true, sharedAfter: true,
          owner: { select: { name: true } },
          versions: { orderBy: { number: "desc" }, take: 100, select: { number: true, name: true, note: true, createdAt: true, shrunkFromRunId: true } },
        },
      });
      const number = input.version ?? full.latestVersion;
      const version = await ctx.db.scenarioVersion.findUnique({
        where: { scenarioId_number: { scenarioId: scenario.id, number } },
        select: { id: true, number: true, source: true, createdAt: true },
      });
      if (!version) throw notFound("Version");
      const { assignmentId: _assignmentId, sharedAfter: _sharedAfter, ...shown } = full;
      return {
        ...shown,
        // Why the owner cannot share it (work for an assignment), shown beside the disabled controls.
        sharingLocked: access === "owner" ? await sharingLockReason(ctx.db, full) : null,
        faultKinds: decodeFaultKinds(full.faultKinds),
        // Only the owner learns the share token (it is the secret in the link).
        shareToken: access === "owner" ? full.shareToken : null,
        isOwner: access === "owner",
        version,
      };
    }),

  list: protectedProcedure.input(ZListInput).query(({ ctx, input }) =>
    listScenarios(ctx.db, { ...listWhere(ctx.dbProvider, input), ownerId: ctx.user.id }, input),
  ),

  gallery: publicProcedure.input(ZListInput).query(({ ctx, input }) =>
    listScenarios(ctx.db, { ...listWhere(ctx.dbProvider, input), visibility: "public", ...shareableNow() }, input),
  ),

  setVisibility: protectedProcedure.input(z.object({ id: zId, visibility: ZVisibility })).mutation(async ({ ctx, input }) => {
    const { scenario, access } = await readableScenario(ctx.db, input.id, ctx.user.id);
    if (access !== "owner") throw notFound("Scenario");
    await assertShareable(ctx.db, scenario, input.visibility);
    return ctx.db.scenario.update({ where: { id: input.id }, data: visibilityChange(scenario.visibility, input.visibility), select: { id: true, visibility: true, shareToken: true } });
  }),

  /** A new token: every link handed out before stops working. */
  revokeLink: protectedProcedure.input(z.object({ id: zId })).mutation(async ({ ctx, input }) => {
    const { access } = await readableScenario(ctx.db, input.id, ctx.user.id);
    if (access !== "owner") throw notFound("Scenario");
    return ctx.db.scenario.update({ where: { id: input.id }, data: { shareToken: newShareToken() }, select: { id: true, shareToken: true } });
  }),

  /** Copies a scenario the caller can read (at one version) into the caller's account. */
  fork: protectedProcedure
    .input(z.object({ id: zId, token: zShareToken, version: zVersion.optional() }))
    .mutation(async ({ ctx, input }) => {
      const { scenario } = await readableScenario(ctx.db, input.id, ctx.user.id, input.token);
      const version = await ctx.db.scenarioVersion.findUnique({
        where: { scenarioId_number: { scenarioId: scenario.id, number: input.version ?? scenario.latestVersion } },
        select: { source: true },
      });
      if (!version) throw notFound("Version");
      await assertScenarioQuota(ctx.db, ctx.user.id);
      const created = await createScenario(ctx.db, ctx.user.id, version.source, scenario.id);
      await inheritTie(ctx.db, scenario.id, created.id);
      return created;
    }),

  delete: protectedProcedure.input(z.object({ id: zId })).mutation(async ({ ctx, input }) => {
    const { access } = await readableScenario(ctx.db, input.id, ctx.user.id);
    if (access !== "owner") throw notFound("Scenario");
    // Its runs go private with it (readableRun also refuses shared runs of a deleted scenario,
    // including ones deleted before this); sharing one again would give it a new link.
    await ctx.db.$transaction([
      ctx.db.scenario.update({ where: { id: input.id }, data: { deletedAt: new Date(), visibility: "private" } }),
      ctx.db.run.updateMany({ where: { scenarioId: input.id }, data: { visibility: "private" } }),
    ]);
    return { id: input.id };
  }),
});
