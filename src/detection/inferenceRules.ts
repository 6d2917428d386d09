import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../config/projectRoot';
import type { LabelEvidence } from './recognizer';

// Scenes and events are rarely one model class: a kitchen is a stove beside an oven, a soccer match
// is a soccer field with players, Halloween is a jack-o'-lantern. Such inferences are data (a
// reviewed, versioned table beside the taxonomy), not code, so each has its evidence and confidence
// in one place and can be read, tested and changed without touching the pipeline.

export const INFERENCE_RULES_PATH = join(projectRoot, 'data', 'taxonomy', 'inference-rules.json');

const condition = z.object({
  /** A taxonomy label; evidence for any label below it counts too. */
  label: z.string().min(1),
  /** Fires from this confidence on (default 0.25)... */
  min: z.number().min(0).max(1).default(0.25),
  /** ...and counts in full from this one (default: twice min, at most 1). */
  full: z.number().min(0).max(1).optional(),
  /** At least this many instances (boxes) of the label. */
  count: z.number().int().min(1).optional(),
});

const rule = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    /** The label the rule concludes (then), or the label whose confidence it lowers (lower). */
    then: z.string().min(1).optional(),
    lower: z.string().min(1).optional(),
    /** then: the confidence when every condition holds in full; lower: the factor applied. */
    confidence: z.number().min(0).max(1).optional(),
    factor: z.number().min(0).max(1).optional(),
    all: z.array(condition).default([]),
    any: z.array(condition).default([]),
    /** Any of these present (at its min) stops the rule. */
    none: z.array(condition).default([]),
    /** Why the evidence means what the rule says: for reviewers. */
    why: z.string().min(1),
  })
  .refine((r) => (r.then !== undefined) !== (r.lower !== undefined), { message: 'a rule has exactly one of then and lower' })
  .refine((r) => (r.then ? r.confidence !== undefined : r.factor !== undefined), { message: 'then needs confidence; lower needs factor' })
  .refine((r) => r.all.length + r.any.length > 0, { message: 'a rule needs at least one condition in all or any' });

const ruleFile = z.object({ version: z.string().min(1), rules: z.array(rule) });

export type InferenceRule = z.infer<typeof rule>;
type Condition = z.infer<typeof condition>;

/** What the rules need of the taxonomy. */
export interface RuleTaxonomy {
  has(id: string): boolean;
  ancestorIds(id: string): string[];
}

/** How far a condition holds: 0 when it does not fire, else 0.5 at its min rising to 1 at its full. */
function strength(c: Condition, confidence: number, instances: number): number {
  if (confidence < c.min || (c.count !== undefined && instances < c.count)) return 0;
  const full = c.full ?? Math.min(1, 2 * c.min);
  return full <= c.min ? 1 : 0.5 + 0.5 * Math.min(1, (confidence - c.min) / (full - c.min));
}

/**
 * Evidence with the rules' conclusions in it: a concluded label the models did not name is added;
 * one they named takes the conclusion's confidence (and the higher centric score) when it is higher.
 */
export function withConclusions(evidence: LabelEvidence[], conclusions: LabelEvidence[]): LabelEvidence[] {
  const out = new Map(evidence.map((e) => [e.labelId, { ...e }]));
  for (const concluded of conclusions) {
    const current = out.get(concluded.labelId);
    if (!current) out.set(concluded.labelId, { ...concluded });
    else if (concluded.confidence > current.confidence)
      out.set(concluded.labelId, {
        ...current,
        confidence: concluded.confidence,
        centricScore: Math.max(current.centricScore, concluded.centricScore),
      });
  }
  return [...out.values()];
}

export class InferenceRules {
  private constructor(
    readonly version: string,
    private readonly rules: InferenceRule[],
    private readonly taxonomy: RuleTaxonomy,
  ) {}

  /** Reads and checks a rule table: every label it names must be in the taxonomy. */
  static load(taxonomy: RuleTaxonomy, path = INFERENCE_RULES_PATH): InferenceRules {
    const parsed = ruleFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return InferenceRules.of(parsed.data.version, parsed.data.rules, taxonomy);
  }

  static of(version: string, rules: InferenceRule[], taxonomy: RuleTaxonomy): InferenceRules {
    const unknown = rules.flatMap((r) =>
      [r.then, r.lower, ...[...r.all, ...r.any, ...r.none].map((c) => c.label)]
        .filter((id): id is string => !!id && !taxonomy.has(id))
        .map((id) => `${r.id}: ${id}`),
    );
    if (unknown.length) throw new Error(`inference rules ${version} name labels the taxonomy does not have: ${unknown.join(', ')}`);
    const ids = new Set<string>();
    for (const r of rules) {
      if (ids.has(r.id)) throw new Error(`inference rules ${version}: rule id ${r.id} appears twice`);
      ids.add(r.id);
    }
    return new InferenceRules(version, rules, taxonomy);
  }

  get size(): number {
    return this.rules.length;
  }

  /** The labels the rules can conclude. */
  conclusions(): string[] {
    return [...new Set(this.rules.flatMap((r) => (r.then ? [r.then] : [])))];
  }

  /**
   * One image's merged model evidence → the same evidence with what the rules conclude, then what
   * lowering rules scale down (see conclude and lower).
   */
  apply(evidence: LabelEvidence[]): LabelEvidence[] {
    return this.lower(withConclusions(evidence, this.conclude(evidence)), evidence);
  }

  /**
   * What the rules conclude from one image's merged model evidence: each concluded label with the
   * rule's confidence scaled by how fully its conditions hold (the strongest rule per label).
   */
  conclude(observed: LabelEvidence[]): LabelEvidence[] {
    const { holds, centricOf } = this.judge(observed);
    const out = new Map<string, LabelEvidence>();
    for (const r of this.rules) {
      if (!r.then) continue;
      const h = holds(r);
      if (h === 0) continue;
      const confidence = r.confidence! * h;
      const current = out.get(r.then);
      if (!current || confidence > current.confidence)
        out.set(r.then, { labelId: r.then, confidence, centricScore: Math.max(current?.centricScore ?? 0, centricOf(r)) });
    }
    return [...out.values()];
  }

  /**
   * Evidence with the lowering rules applied: a rule whose conditions hold in what the models
   * observed scales its label (and the labels below it) down. Conditions read the models' own
   * evidence, in the terms their thresholds were written in, whatever was done to `evidence` since.
   */
  lower(evidence: LabelEvidence[], observed: LabelEvidence[]): LabelEvidence[] {
    const { holds } = this.judge(observed);
    const out = evidence.map((e) => ({ ...e }));
    for (const r of this.rules) {
      if (!r.lower || holds(r) === 0) continue;
      for (const e of out) {
        if (e.labelId === r.lower || this.taxonomy.ancestorIds(e.labelId).includes(r.lower)) e.confidence *= r.factor!;
      }
    }
    return out;
  }

  /** How fully each rule holds in one image's evidence, and the centric score its conclusion gets. */
  private judge(evidence: LabelEvidence[]) {
    // Evidence for a label speaks for its ancestors too: a condition on dog fires for a retriever.
    const seen = new Map<string, { confidence: number; centricScore: number; instances: number }>();
    for (const e of evidence) {
      for (const id of [e.labelId, ...this.taxonomy.ancestorIds(e.labelId)]) {
        const best = seen.get(id);
        const instances = e.instances ?? 0;
        if (!best) seen.set(id, { confidence: e.confidence, centricScore: e.centricScore, instances });
        else {
          best.confidence = Math.max(best.confidence, e.confidence);
          best.centricScore = Math.max(best.centricScore, e.centricScore);
          best.instances = Math.max(best.instances, instances);
        }
      }
    }
    const held = (c: Condition) => {
      const s = seen.get(c.label);
      return s ? strength(c, s.confidence, s.instances) : 0;
    };
    const holds = (r: InferenceRule) => {
      if (r.none.some((c) => held(c) > 0)) return 0;
      const all = r.all.length ? Math.min(...r.all.map(held)) : 1;
      const any = r.any.length ? Math.max(...r.any.map(held)) : 1;
      return Math.min(all, any);
    };
    const centricOf = (r: InferenceRule) => Math.max(0, ...[...r.all, ...r.any].map((c) => seen.get(c.label)?.centricScore ?? 0));
    return { holds, centricOf };
  }
}
