import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../config/projectRoot';
import type { Taxonomy } from './taxonomy';

const MODEL_MAPS = join(projectRoot, 'data', 'model-maps');
const RULES = join(projectRoot, 'data', 'taxonomy', 'inference-rules.json');

/**
 * The labels detection can return with the shipped model maps and inference rules, with their
 * ancestors: what a user will find in their own images, so suggestions put them first.
 */
export function detectableLabelIds(taxonomy: Taxonomy, mapsDir = MODEL_MAPS, rulesFile = RULES): Set<string> {
  const ids = new Set<string>();
  for (const file of readdirSync(mapsDir).filter((name) => name.endsWith('.json'))) {
    const map = JSON.parse(readFileSync(join(mapsDir, file), 'utf8')) as {
      classes: { labelId: string | null }[];
      groups?: { labelId: string }[];
    };
    for (const entry of [...map.classes, ...(map.groups ?? [])]) if (entry.labelId) ids.add(entry.labelId);
  }
  const rules = JSON.parse(readFileSync(rulesFile, 'utf8')) as { rules: { then?: string }[] };
  for (const rule of rules.rules) if (rule.then) ids.add(rule.then);
  for (const id of [...ids]) for (const ancestor of taxonomy.ancestors(id)) ids.add(ancestor.id);
  return new Set([...ids].filter((id) => taxonomy.get(id)));
}
