import { InferenceRule, InferenceRules } from '../../src/detection/inferenceRules';
import { loadTaxonomy } from '../../src/taxonomy/taxonomy';

// A small hierarchy: event > soccer-match; scene > soccer-field; people > person; animal > dog > puppy.
const parents: Record<string, string | null> = {
  event: null,
  'soccer-match': 'event',
  scene: null,
  'soccer-field': 'scene',
  'tennis-court': 'scene',
  people: null,
  person: 'people',
  animal: null,
  dog: 'animal',
  puppy: 'dog',
  racket: null,
};
const taxonomy = {
  has: (id: string) => id in parents,
  ancestorIds: (id: string) => {
    const out: string[] = [];
    for (let p = parents[id]; p; p = parents[p]) out.push(p);
    return out;
  },
};
const rule = (r: Partial<InferenceRule> & { id: string }): InferenceRule =>
  ({ all: [], any: [], none: [], why: 'test', ...r }) as InferenceRule;
const soccer = rule({
  id: 'soccer',
  then: 'soccer-match',
  confidence: 0.8,
  all: [
    { label: 'soccer-field', min: 0.3 },
    { label: 'person', min: 0.3, count: 2 },
  ],
  none: [{ label: 'racket', min: 0.3 }],
});
const rules = InferenceRules.of(
  't',
  [
    soccer,
    rule({ id: 'no-dog', lower: 'dog', factor: 0.5, all: [{ label: 'person', min: 0.5 }], none: [{ label: 'dog', min: 0.3, count: 1 }] }),
  ],
  taxonomy,
);
const find = (evidence: { labelId: string; confidence: number }[], id: string) => evidence.find((e) => e.labelId === id)?.confidence;

describe('inference rules', () => {
  it('concludes a label with the rule’s confidence, scaled by how fully its conditions hold', () => {
    const full = rules.apply([
      { labelId: 'soccer-field', confidence: 0.9, centricScore: 1 },
      { labelId: 'person', confidence: 0.8, centricScore: 0.4, instances: 5 },
    ]);
    expect(find(full, 'soccer-match')).toBeCloseTo(0.8);
    const weak = rules.apply([
      { labelId: 'soccer-field', confidence: 0.3, centricScore: 1 },
      { labelId: 'person', confidence: 0.8, centricScore: 0.4, instances: 5 },
    ]);
    expect(find(weak, 'soccer-match')).toBeCloseTo(0.4);
  });

  it('needs every condition of all, the instance count, and none of none', () => {
    const field = { labelId: 'soccer-field', confidence: 0.9, centricScore: 1 };
    expect(
      find(rules.apply([field, { labelId: 'person', confidence: 0.9, centricScore: 0.4, instances: 1 }]), 'soccer-match'),
    ).toBeUndefined();
    expect(find(rules.apply([field]), 'soccer-match')).toBeUndefined();
    const withRacket = [
      field,
      { labelId: 'person', confidence: 0.9, centricScore: 0.4, instances: 4 },
      { labelId: 'racket', confidence: 0.6, centricScore: 0.2 },
    ];
    expect(find(rules.apply(withRacket), 'soccer-match')).toBeUndefined();
  });

  it('lowers a label (and what lies below it) when the evidence contradicts it', () => {
    const childOrDog = rules.apply([
      { labelId: 'puppy', confidence: 0.8, centricScore: 0.5 },
      { labelId: 'person', confidence: 0.9, centricScore: 0.5, instances: 1 },
    ]);
    expect(find(childOrDog, 'puppy')).toBeCloseTo(0.4);
    const boxedDog = rules.apply([
      { labelId: 'dog', confidence: 0.8, centricScore: 0.5, instances: 1 },
      { labelId: 'person', confidence: 0.9, centricScore: 0.5, instances: 1 },
    ]);
    expect(find(boxedDog, 'dog')).toBeCloseTo(0.8);
  });

  it('refuses a table that names a label the taxonomy lacks, or a rule twice', () => {
    expect(() =>
      InferenceRules.of('t', [rule({ id: 'x', then: 'unicorn', confidence: 0.5, all: [{ label: 'person', min: 0.2 }] })], taxonomy),
    ).toThrow(/unicorn/);
    expect(() => InferenceRules.of('t', [soccer, soccer], taxonomy)).toThrow(/twice/);
  });

  it('ships a reviewed table that loads against the taxonomy and covers the events IMM users ask for', () => {
    const taxonomy = loadTaxonomy();
    const shipped = InferenceRules.load({ has: (id) => !!taxonomy.get(id), ancestorIds: (id) => taxonomy.ancestors(id).map((a) => a.id) });
    expect(shipped.size).toBeGreaterThanOrEqual(40);
    const concluded = new Set(shipped.conclusions());
    for (const id of ['wedding', 'graduation', 'birthday', 'concert', 'halloween', 'christmas', 'dinner-party', 'kitchen', 'bathroom'])
      expect(concluded).toContain(id);
    const sports = [...concluded].filter((id) => taxonomy.ancestors(id).some((a) => a.id === 'sport'));
    expect(sports.length).toBeGreaterThanOrEqual(10);
  });
});
