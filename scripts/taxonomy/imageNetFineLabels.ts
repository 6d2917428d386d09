import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../../src/config/projectRoot';
import type { LabelLevel, TaxonomyLabel } from '../../src/taxonomy/labelTypes';

// ImageNet classes people search for by name that RAM has no tag for, so the build folded them
// into a broad label: the dog breeds in imagenet-fine-labels.json came out as "dog", the balls as
// "ball", the gymnastics apparatus as "sports equipment". Each becomes a label of its own under that
// parent, named in both languages; its synset is the class's, so the ImageNet map (modelMaps.ts)
// finds it by itself and the parent still sums it (a Shih-Tzu is a dog). Reviewed one by one: only
// classes whose photos show the thing the name says, and names that take no other label's sense.

const fineLabelFile = z.object({
  labels: z.array(
    z.object({
      /** ImageNet-1k class index and synset. */
      index: z.number().int().min(0).max(999),
      wnid: z.string().regex(/^n\d{8}$/),
      id: z.string().regex(/^[a-z0-9-]+$/),
      parentId: z.string().min(1),
      en: z.string().min(1),
      zhHans: z.string().regex(/[\u4e00-\u9fff]/),
      aliasesEn: z.array(z.string().min(1)).default([]),
      aliasesZhHans: z.array(z.string().min(1)).default([]),
    }),
  ),
});

/** The reviewed table, beside this file. */
export const readImageNetFineLabels = (path = join(projectRoot, 'scripts', 'taxonomy', 'imagenet-fine-labels.json')) =>
  fineLabelFile.parse(JSON.parse(readFileSync(path, 'utf8'))).labels;

/** The build's labels with the fine ImageNet labels added under their parents, at the given threshold. */
export function withImageNetFineLabels(labels: TaxonomyLabel[], threshold: number): TaxonomyLabel[] {
  const byId = new Map(labels.map((label) => [label.id, label]));
  const added = readImageNetFineLabels().map((fine): TaxonomyLabel => {
    const parent = byId.get(fine.parentId);
    if (!parent) throw new Error(`fine ImageNet label ${fine.id}: no parent ${fine.parentId}`);
    if (parent.level === 3) throw new Error(`fine ImageNet label ${fine.id}: its parent ${fine.parentId} is level 3 already`);
    if (byId.has(fine.id)) throw new Error(`fine ImageNet label ${fine.id} exists already`);
    return {
      id: fine.id,
      en: fine.en,
      zhHans: fine.zhHans,
      level: (parent.level + 1) as LabelLevel,
      parentId: parent.id,
      aliasesEn: fine.aliasesEn,
      aliasesZhHans: fine.aliasesZhHans,
      threshold,
      wnid: fine.wnid,
      sources: { imagenet: [fine.index] },
    };
  });
  // Categories first, then by id, as the build lists labels.
  const categories = labels.filter((label) => label.level === 1);
  const rest = [...labels.filter((label) => label.level !== 1), ...added].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return [...categories, ...rest];
}
