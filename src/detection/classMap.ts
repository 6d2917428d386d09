import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { LabelVocabulary } from './recognizer';

const classMapSchema = z.object({
  taxonomyVersion: z.string(),
  classes: z.array(z.object({ index: z.number().int().min(0), name: z.string(), labelId: z.string().nullable() })),
  /** Classes whose probabilities add up to evidence for one label (see classGroups.ts). */
  groups: z
    .array(
      z.object({
        id: z.string().min(1),
        labelId: z.string().min(1),
        members: z.array(z.string()).min(2),
        calibrated: z.boolean().default(true),
      }),
    )
    .default([]),
});

export type ClassMapFile = z.infer<typeof classMapSchema>;

export const readClassMapFile = (path: string): ClassMapFile => classMapSchema.parse(JSON.parse(readFileSync(path, 'utf8')));

/** Fails the start when a map names a label the taxonomy lacks: a stale map would label nothing, silently. */
export function checkLabel(path: string, what: string, labelId: string, vocabulary: LabelVocabulary): void {
  if (!vocabulary.has(labelId)) throw new Error(`${path}: ${what} maps to ${labelId}, which taxonomy ${vocabulary.version} lacks`);
}

/** Model class index → taxonomy label id (null where the taxonomy has nothing that fits); one entry per class. */
export function loadClassMap(path: string, vocabulary: LabelVocabulary): (string | null)[] {
  const parsed = readClassMapFile(path);
  const classCount = Math.max(-1, ...parsed.classes.map((entry) => entry.index)) + 1;
  const labels = new Array<string | null>(classCount).fill(null);
  for (const entry of parsed.classes) {
    if (entry.labelId !== null) checkLabel(path, `class ${entry.index} (${entry.name})`, entry.labelId, vocabulary);
    labels[entry.index] = entry.labelId;
  }
  return labels;
}
