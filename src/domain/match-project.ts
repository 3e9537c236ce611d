// Forgiving matching of what people type in `/milestone done atlas design`: codes, name prefixes,
// any case, with or without accents. Pure: the caller passes the candidates.

export type ProjectCandidate = { id: string; code: string; name: string };
export type MilestoneCandidate = { id: string; projectId: string; name: string };

/** Lower case, accents removed, punctuation and runs of spaces folded to one space. */
export function normalizeForMatch(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
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

// Lower tier is better: 0 exact code or name, 1 prefix of code or name, 2 prefix of a word in the name.
function matchTier(query: string, texts: string[]): number | null {
  const q = normalizeForMatch(query);
  if (q === "") return null;
  const normalized = texts.map(normalizeForMatch);
  if (normalized.some((t) => t === q)) return 0;
  if (normalized.some((t) => t.startsWith(q))) return 1;
  if (normalized.some((t) => t.split(" ").some((_, i, words) => words.slice(i).join(" ").startsWith(q)))) {
    return 2;
  }
  return null;
}

/** The candidates of the best tier that matches (several = ambiguous, none = no match). */
export function bestMatches<T>(query: string, items: readonly T[], texts: (item: T) => string[]): T[] {
  let bestTier = Number.POSITIVE_INFINITY;
  let best: T[] = [];
  for (const item of items) {
    const tier = matchTier(query, texts(item));
    if (tier === null) continue;
    if (tier < bestTier) {
      bestTier = tier;
      best = [item];
    } else if (tier === bestTier) {
      best.push(item);
    }
  }
  return best;
}

export type MilestoneMatch =
  | { kind: "match"; projectId: string; milestoneId: string }
  | {
      kind: "pick";
      /** Why a choice is needed, shown at the top of the picker. */
      reason: string;
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
    return { kind: "pick", reason: "Which milestone is done?", ...all };
  }
  const projectTexts = (p: ProjectCandidate) => [p.code, p.name];
  const unique = new Map<string, { projectId: string; milestoneId: string }>();
  let bestPartial: { projectIds: string[]; milestoneIds: string[]; reason: string } | null = null;
  for (let split = tokens.length; split >= 1; split--) {
    const projectQuery = tokens.slice(0, split).join(" ");
    const milestoneQuery = tokens.slice(split).join(" ");
    const projectHits = bestMatches(projectQuery, projects, projectTexts);
    if (projectHits.length === 0) continue;
    const ids = new Set(projectHits.map((p) => p.id));
    const open = milestones.filter((m) => ids.has(m.projectId));
    if (milestoneQuery === "") {
      if (open.length === 1 && projectHits.length === 1 && open[0]) {
        unique.set(open[0].id, { projectId: open[0].projectId, milestoneId: open[0].id });
      } else {
        bestPartial ??= {
          reason: `Which milestone of ${projectHits.map((p) => p.code).join(", ")} is done?`,
          projectIds: [...ids],
          milestoneIds: open.map((m) => m.id),
        };
      }
      continue;
    }
    const milestoneHits = bestMatches(milestoneQuery, open, (m) => [m.name]);
    if (milestoneHits.length === 1 && milestoneHits[0]) {
      const hit = milestoneHits[0];
      unique.set(hit.id, { projectId: hit.projectId, milestoneId: hit.id });
    } else if (milestoneHits.length > 1) {
      bestPartial ??= {
        reason: `Several milestones match "${milestoneQuery}": pick one.`,
        projectIds: [...ids],
        milestoneIds: milestoneHits.map((m) => m.id),
      };
    } else {
      bestPartial ??= {
        reason: `No open milestone matches "${milestoneQuery}": pick one.`,
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
      projectIds,
      milestoneIds,
    };
  }
  if (bestPartial) return { kind: "pick", ...bestPartial };
  return { kind: "pick", reason: `No project matches "${tokens[0]}": pick the milestone.`, ...all };
}

/**
 * The projects that some leading run of the tokens can name: only their milestones need loading
 * to match "<project> <milestone>" (matchMilestone never looks at other projects' milestones).
 */
export function candidateProjects<T extends ProjectCandidate>(
  tokens: readonly string[],
  projects: readonly T[],
): T[] {
  const found = new Map<string, T>();
  for (let split = tokens.length; split >= 1; split--) {
    for (const hit of bestMatches(tokens.slice(0, split).join(" "), projects, (p) => [p.code, p.name])) {
      found.set(hit.id, hit);
    }
  }
  return [...found.values()];
}
