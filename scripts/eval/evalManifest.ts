import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type TruthKind = 'scene' | 'event' | 'object';
export const TRUTH_KINDS: readonly TruthKind[] = ['scene', 'event', 'object'];

/** One thing a photo shows, with the names a fair grader accepts for it (the first is the primary). */
export interface Truth {
  kind: TruthKind;
  names: string[];
}

export interface EvalPhoto {
  id: string;
  file: string;
  group: string;
  truths: Truth[];
  grayscale: boolean;
  split: 'tune' | 'test';
  source: string;
  licence: string;
}

const COLUMNS = ['id', 'file', 'group', 'truths', 'grayscale', 'split', 'source_repo', 'commit', 'path', 'licence', 'credit', 'notes'];

function parseTruths(text: string, where: string): Truth[] {
  return text.split(';').map((item) => {
    const match = /^(scene|event|object):(.+)$/.exec(item.trim());
    if (!match) throw new Error(`${where}: truth "${item}" is not kind:name|name`);
    return {
      kind: match[1] as TruthKind,
      names: match[2]
        .split('|')
        .map((name) => name.trim())
        .filter(Boolean),
    };
  });
}

/** Every row of eval/manifests/*.tsv (tab-separated, the header as COLUMNS). */
export function readEvalManifests(evalDir: string): EvalPhoto[] {
  const dir = join(evalDir, 'manifests');
  const photos: EvalPhoto[] = [];
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.tsv'))
    .sort()) {
    const [header, ...rows] = readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter((line) => line.trim());
    if (header.split('\t').join(',') !== COLUMNS.join(',')) throw new Error(`${name}: the header must be ${COLUMNS.join(' ')}`);
    for (const [index, row] of rows.entries()) {
      const cells = row.split('\t');
      const where = `${name}:${index + 2}`;
      if (cells.length !== COLUMNS.length) throw new Error(`${where}: ${cells.length} columns, expected ${COLUMNS.length}`);
      const [id, file, group, truths, grayscale, split, sourceRepo, , path, licence] = cells;
      if (split !== 'tune' && split !== 'test') throw new Error(`${where}: split must be tune or test`);
      photos.push({
        id,
        file: join(evalDir, file),
        group,
        truths: parseTruths(truths, where),
        grayscale: grayscale === 'yes',
        split,
        source: `${sourceRepo}:${path}`,
        licence,
      });
    }
  }
  const ids = new Set(photos.map((p) => p.id));
  if (ids.size !== photos.length) throw new Error('eval manifests: photo ids are not unique');
  return photos;
}
