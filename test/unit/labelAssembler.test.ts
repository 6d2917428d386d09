import {
  AssemblyLabel,
  AssemblyTaxonomy,
  assembleLabels,
  effectiveThreshold,
  inListingOrder,
  reportedConfidence,
  strongestFirst,
  strongestReportedFirst,
} from '../../src/detection/labelAssembler';

// A small hand-written hierarchy: animals > cat > tabby, animals > dog; furniture > chair.
const rows: AssemblyLabel[] = [
  { id: 'animals', level: 1, parentId: null, threshold: 0.65 },
  { id: 'cat', level: 2, parentId: 'animals', threshold: 0.65 },
  { id: 'tabby', level: 3, parentId: 'cat', threshold: 0.8 },
  { id: 'dog', level: 2, parentId: 'animals', threshold: 0.65 },
  { id: 'furniture', level: 1, parentId: null, threshold: 0.65 },
  { id: 'chair', level: 2, parentId: 'furniture', threshold: 0.5 },
];
const byId = new Map(rows.map((r) => [r.id, r]));
const taxonomy: AssemblyTaxonomy = {
  get: (id) => byId.get(id),
  ancestors: (id) => {
    const out: AssemblyLabel[] = [];
    for (let p = byId.get(id)?.parentId; p; p = byId.get(p)?.parentId) out.push(byId.get(p)!);
    return out;
  },
};

const evidence = [
  { labelId: 'tabby', confidence: 0.7, centricScore: 0.9 },
  { labelId: 'cat', confidence: 0.6, centricScore: 0.5 },
  { labelId: 'dog', confidence: 0.2, centricScore: 0.1 },
  { labelId: 'chair', confidence: 0.45, centricScore: 0.3 },
];
const base = { threshold: 0.5, maxLabels: 100 };

describe('assembling labels', () => {
  it('shifts the request threshold by each label’s distance from RAM’s 0.65 centre', () => {
    expect(effectiveThreshold(0.5, 0.65)).toBeCloseTo(0.5);
    expect(effectiveThreshold(0.5, 0.8)).toBeCloseTo(0.65);
    expect(effectiveThreshold(0.5, 0.5)).toBeCloseTo(0.35);
    expect(effectiveThreshold(0.95, 0.8)).toBe(1);
  });

  it('gives every parent at least its best child’s confidence and centric score; specific labels lead', () => {
    const labels = assembleLabels(evidence, taxonomy, base);
    expect(labels.map((l) => l.labelId)).toEqual(['tabby', 'chair', 'animals', 'cat', 'furniture']);
    const cat = labels.find((l) => l.labelId === 'cat')!;
    expect(cat).toMatchObject({ confidence: 0.7, centricScore: 0.9, parentId: 'animals', level: 2 });
    for (const label of labels) {
      const parent = labels.find((l) => l.labelId === label.parentId);
      if (label.parentId) expect(parent!.confidence).toBeGreaterThanOrEqual(label.confidence);
    }
  });

  it('drops labels below their threshold (tabby needs 0.65 at request 0.5; dog is far below)', () => {
    const labels = assembleLabels([{ labelId: 'tabby', confidence: 0.6, centricScore: 0.5 }, evidence[2]], taxonomy, base);
    expect(labels.map((l) => l.labelId)).toEqual(['cat', 'animals']);
  });

  it('counts only the most specific labels against maxLabels; their parents come along uncounted', () => {
    expect(assembleLabels(evidence, taxonomy, { ...base, maxLabels: 1 }).map((l) => l.labelId)).toEqual(['tabby', 'animals', 'cat']);
    expect(assembleLabels(evidence, taxonomy, { ...base, maxLabels: 2 }).map((l) => l.labelId)).toEqual([
      'tabby',
      'chair',
      'animals',
      'cat',
      'furniture',
    ]);
    // At a low threshold dog joins as a third specific label, and goes first when it is the cap's victim.
    const low = { ...base, threshold: 0.1 };
    expect(assembleLabels(evidence, taxonomy, { ...low, maxLabels: 2 }).map((l) => l.labelId)).not.toContain('dog');
    expect(assembleLabels(evidence, taxonomy, { ...low, maxLabels: 3 }).map((l) => l.labelId)).toContain('dog');
  });

  it('applies include/exclude filters by label (with descendants) and by category', () => {
    const ids = (extra: object) => assembleLabels(evidence, taxonomy, { ...base, ...extra }).map((l) => l.labelId);
    expect(ids({ includeLabelIds: ['cat'] })).toEqual(['tabby', 'cat']);
    // Without cat, animals is a category with nothing below it: listed, after the specific chair.
    expect(ids({ excludeLabelIds: ['cat'] })).toEqual(['chair', 'animals', 'furniture']);
    expect(ids({ includeCategoryIds: ['furniture'] })).toEqual(['chair', 'furniture']);
    expect(ids({ excludeCategoryIds: ['furniture'] })).toEqual(['tabby', 'animals', 'cat']);
  });

  it('ignores evidence for labels the taxonomy does not have', () => {
    expect(assembleLabels([{ labelId: 'unicorn', confidence: 0.99, centricScore: 1 }], taxonomy, base)).toEqual([]);
  });

  it('lists scored labels and reported labels (a read names them first) in one order', () => {
    // A tie only once rounded to 4 decimals, a parent and its child on a tie, ids on a tie ("B" < "a").
    const scored = [
      { labelId: 'a', confidence: 0.5, level: 2 },
      { labelId: 'tabby', confidence: 0.80004, level: 3 },
      { labelId: 'B', confidence: 0.5, level: 2 },
      { labelId: 'cat', confidence: 0.8, level: 2 },
      { labelId: 'dog', confidence: 0.9, level: 2 },
    ];
    const reported = scored.map((s) => ({ labelId: s.labelId, labelConfidence: reportedConfidence(s.confidence), labelLevel: s.level }));
    const expected = ['dog', 'cat', 'tabby', 'B', 'a'];
    expect([...scored].sort(strongestFirst).map((s) => s.labelId)).toEqual(expected);
    expect([...reported].sort(strongestReportedFirst).map((s) => s.labelId)).toEqual(expected);
  });

  it('leads with the strongest specific label in an answer and in a stored image read later alike', () => {
    const reported = assembleLabels(evidence, taxonomy, base).map((l) => ({
      labelId: l.labelId,
      labelConfidence: reportedConfidence(l.confidence),
      labelLevel: l.level,
    }));
    const shuffled = [...reported].reverse();
    const listed = inListingOrder(
      shuffled,
      (l) => l.labelId,
      taxonomy.ancestors,
      (l) => l.labelLevel,
      strongestReportedFirst,
    ).map((l) => l.labelId);
    expect(listed).toEqual(reported.map((l) => l.labelId));
  });
});
