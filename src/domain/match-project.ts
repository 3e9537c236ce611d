// Forgiving matching of what people type in `/milestone done atlas design`: codes, name prefixes,
// any case, with or without accents. Pure: the caller passes the candidates.

export type ProjectCandidate = { id: string; code: string; name: string };
export type MilestoneCandidate = { id: string; projectId: string; name: string };

// Every command normalizes the code and name of every project of the workspace (thousands): the
// results are remembered, in a bounded map, since the same names come back on each command.
const normalizedCache = new Map<string, string>();
const CACHE_LIMIT = 50_000;

/** Lower case, accents removed, punctuation and runs of spaces folded to one space. */
export function normalizeForMatch(text: string): string {
  const cached = normalizedCache.get(text);
  if (cached !== undefined) return cached;
  const normalized = text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  if (normalizedCache.size >= CACHE_LIMIT) normalizedCache.clear();
  normalizedCache.set(text, normalized);
  return normalized;
}

/** Splits command text on spaces, keeping "quoted phrases" (straight or curly quotes) together. */
export function tokenizeCommand(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /"([^"]*)"|“([^”]*)”|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    const token = match[1] ?? match[2] ?? match[3] ?? "";
    if (token.trim() !== "") tokens.push(token.trim());
  }
  return tokens;
}

/** A candidate with its texts normalized once, however many splits of the tokens are tried. */
type Indexed<T> = { item: T; texts: string[]; spaced: string[] };

function indexForMatch<T>(items: readonly T[], texts: (item: T) => string[]): Indexed<T>[] {
  return items.map((item) => {
    const normalized = texts(item).map(normalizeForMatch);
    return { item, texts: normalized, spaced: normalized.map((t) => ` ${t}`) };
  });
}

// Lower tier is better: 0 exact code or name, 1 prefix of code or name, 2 prefix of a word in the
// name (the normalized text has single spaces, so " q" inside " text" starts at a word).
function matchTier(q: string, candidate: Indexed<unknown>): number | null {
  if (candidate.texts.some((t) => t === q)) return 0;
  if (candidate.texts.some((t) => t.startsWith(q))) return 1;
  const word = ` ${q}`;
  if (candidate.spaced.some((t) => t.includes(word))) return 2;
  return null;
}

function bestIndexed<T>(query: string, indexed: readonly Indexed<T>[]): T[] {
  const q = normalizeForMatch(query);
  if (q === "") return [];
  let bestTier = Number.POSITIVE_INFINITY;
  let best: T[] = [];
  for (const candidate of indexed) {
    const tier = matchTier(q, candidate);
    if (tier === null) continue;
    if (tier < bestTier) {
      bestTier = tier;
      best = [candidate.item];
    } else if (tier === bestTier) {
      best.push(candidate.item);
    }
  }
  return best;
}

/** The candidates of the best tier that matches (several = ambiguous, none = no match). */
export function bestMatches<T>(query: string, items: readonly T[], texts: (item: T) => string[]): T[] {
  return bestIndexed(query, indexForMatch(items, texts));
}

const projectTexts = (p: ProjectCandidate) => [p.code, p.name];

export type PickWhy =
  | { key: "which" }
  | { key: "which_of"; projects: string }
  | { key: "several" | "none_open" | "ambiguous" | "no_project"; query: string };

export type MilestoneMatch =
  | { kind: "match"; projectId: string; milestoneId: string }
  | {
      kind: "pick";
      /** Why a choice is needed, shown at the top of the picker. */
      reason: string;
      /** The same, for the Slack catalogues (`milestone.pick.<key>`). */
      why: PickWhy;
      projectIds: string[];
      milestoneIds: string[];
    };

/**
 * Reads "<project> <milestone>" where either part may be several words. Every split of the tokens
 * is tried; a single unambiguous (project, milestone) pair wins, anything else asks the user.
 */
export function matchMilestone(
  tokens: readonly string[],
  projects: readonly ProjectCandidate[],
  milestones: readonly MilestoneCandidate[],
): MilestoneMatch {
  const all = { projectIds: projects.map((p) => p.id), milestoneIds: milestones.map((m) => m.id) };
  if (tokens.length === 0) {
    return { kind: "pick", reason: "Which milestone is done?", why: { key: "which" }, ...all };
  }
  const indexedProjects = indexForMatch(projects, projectTexts);
  const indexedMilestones = indexForMatch(milestones, (m) => [m.name]);
  const unique = new Map<string, { projectId: string; milestoneId: string }>();
  let bestPartial: { projectIds: string[]; milestoneIds: string[]; reason: string; why: PickWhy } | null =
    null;
  for (let split = tokens.length; split >= 1; split--) {
    const projectQuery = tokens.slice(0, split).join(" ");
    const milestoneQuery = tokens.slice(split).join(" ");
    const projectHits = bestIndexed(projectQuery, indexedProjects);
    if (projectHits.length === 0) continue;
    const ids = new Set(projectHits.map((p) => p.id));
    const openIndexed = indexedMilestones.filter((m) => ids.has(m.item.projectId));
    const open = openIndexed.map((m) => m.item);
    if (milestoneQuery === "") {
      if (open.length === 1 && projectHits.length === 1 && open[0]) {
        unique.set(open[0].id, { projectId: open[0].projectId, milestoneId: open[0].id });
      } else {
        bestPartial ??= {
          reason: `Which milestone of ${projectHits.map((p) => p.code).join(", ")} is done?`,
          why: { key: "which_of", projects: projectHits.map((p) => p.code).join(", ") },
          projectIds: [...ids],
          milestoneIds: open.map((m) => m.id),
        };
      }
      continue;
    }
    const milestoneHits = bestIndexed(milestoneQuery, openIndexed);
    if (milestoneHits.length === 1 && milestoneHits[0]) {
      const hit = milestoneHits[0];
      unique.set(hit.id, { projectId: hit.projectId, milestoneId: hit.id });
    } else if (milestoneHits.length > 1) {
      bestPartial ??= {
        reason: `Several milestones match "${milestoneQuery}": pick one.`,
        why: { key: "several", query: milestoneQuery },
        projectIds: [...ids],
        milestoneIds: milestoneHits.map((m) => m.id),
      };
    } else {
      bestPartial ??= {
        reason: `No open milestone matches "${milestoneQuery}": pick one.`,
        why: { key: "none_open", query: milestoneQuery },
        projectIds: [...ids],
        milestoneIds: open.map((m) => m.id),
      };
    }
  }
  if (unique.size === 1) {
    const [only] = unique.values();
    if (only) return { kind: "match", ...only };
  }
  if (unique.size > 1) {
    const milestoneIds = [...unique.keys()];
    const projectIds = [...new Set([...unique.values()].map((u) => u.projectId))];
    return {
      kind: "pick",
      reason: `"${tokens.join(" ")}" matches several milestones: pick one.`,
      why: { key: "ambiguous", query: tokens.join(" ") },
      projectIds,
      milestoneIds,
    };
  }
  if (bestPartial) return { kind: "pick", ...bestPartial };
  return {
    kind: "pick",
    reason: `No project matches "${tokens[0]}": pick the milestone.`,
    why: { key: "no_project", query: tokens[0] ?? "" },
    ...all,
  };
}

/**
 * The projects that some leading run of the tokens can name: only their milestones need loading
 * to match "<project> <milestone>" (matchMilestone never looks at other projects' milestones).
 */
export function candidateProjects<T extends ProjectCandidate>(
  tokens: readonly string[],
  projects: readonly T[],
): T[] {
  const indexed = indexForMatch(projects, projectTexts);
  const found = new Map<string, T>();
  for (let split = tokens.length; split >= 1; split--) {
    for (const hit of bestIndexed(tokens.slice(0, split).join(" "), indexed)) {
      found.set(hit.id, hit);
    }
  }
  return [...found.values()];
}
