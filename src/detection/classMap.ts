import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { LabelVocabulary } from './recognizer';

const classMapSchema = z.object({
  taxonomyVersion: z.string(),
  classes: z.array(z.object({ index: z.number().int().min(0), name: z.string(), labelId: z.string().nullable() })),
});

/** Model class index → taxonomy label id (null where the taxonomy has nothing that fits); one entry per class. */
export function loadClassMap(path: string, vocabulary: LabelVocabulary): (string | null)[] {
  const parsed = classMapSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const classCount = Math.max(-1, ...parsed.classes.map((entry) => entry.index)) + 1;
  const labels = new Array<string | null>(classCount).fill(null);
  for (const entry of parsed.classes) {
    if (entry.labelId !== null && !vocabulary.has(entry.labelId)) {
      throw new Error(`${path}: class ${entry.index} (${entry.name}) maps to ${entry.labelId}, which taxonomy ${vocabulary.version} lacks`);
    }
    labels[entry.index] = entry.labelId;
  }
  return labels;
}
