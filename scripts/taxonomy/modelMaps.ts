import type { TaxonomyLabel } from '../../src/taxonomy/labelTypes';
import type { WordNetGraph } from './wordnetGraph';

export interface ClassMapEntry {
  index: number;
  name: string;
  labelId: string | null;
  /** The wnid whose label was taken (the class's own or an ancestor's), or "override". */
  via: string;
}

// ImageNet classes whose WordNet path finds nothing, something too broad, or a label that means
// another sense of the word (RAM's), by class index.
const IMAGENET_OVERRIDES: Record<number, string> = {
  417: 'balloon', // the aircraft sense; its photos are mostly party balloons
  557: 'flag-pole', // flagpole, a staff (the staff label is people: 工作人员)
  715: 'helmet', // pickelhaube
  968: 'cup', // WordNet's "cup" here is the drink; the photos show cups
  998: 'corn', // ear of corn, not the body part
};

// COCO's old spellings and the labels they mean.
const COCO_OVERRIDES: Record<string, string> = {
  motorbike: 'motorcycle',
  aeroplane: 'plane',
  sofa: 'couch',
  pottedplant: 'houseplant',
  diningtable: 'table',
  tvmonitor: 'television',
  'sports ball': 'ball',
  'fire hydrant': 'hydrant',
  suitcase: 'luggage',
  skis: 'ski',
  donut: 'donut',
  toilet: 'toilet-bowl',
  remote: 'remote',
  'cell phone': 'smartphone',
  refrigerator: 'fridge',
  'teddy bear': 'teddy',
};

/** The label each synset stands for: the one named by the synset's headword, else the first by id. */
function labelsBySynset(labels: TaxonomyLabel[], wordnet: WordNetGraph): Map<string, string> {
  const out = new Map<string, string>();
  const headwordOf = new Map<string, boolean>();
  for (const label of labels) {
    if (!label.wnid) continue;
    const isHeadword = label.en.toLowerCase() === wordnet.lemmas(label.wnid)[0]?.toLowerCase();
    if (!out.has(label.wnid) || (isHeadword && !headwordOf.get(label.wnid))) {
      out.set(label.wnid, label.id);
      headwordOf.set(label.wnid, isHeadword);
    }
  }
  return out;
}

/** ImageNet-1k class → the most specific label that the class is (its synset or nearest ancestor's). */
export function imageNetMap(classes: [number, string, string][], labels: TaxonomyLabel[], wordnet: WordNetGraph): ClassMapEntry[] {
  const ids = new Set(labels.map((l) => l.id));
  const bySynset = labelsBySynset(labels, wordnet);
  return classes.map(([index, wnid, names]) => {
    const name = names.split(', ')[0];
    const override = IMAGENET_OVERRIDES[index];
    if (override) {
      if (!ids.has(override)) throw new Error(`ImageNet override ${index} → ${override}: no such label`);
      return { index, name, labelId: override, via: 'override' };
    }
    for (const candidate of [wnid, ...wordnet.ancestors(wnid).map((a) => a.wnid)]) {
      const labelId = bySynset.get(candidate);
      if (labelId) return { index, name, labelId, via: candidate };
    }
    return { index, name, labelId: null, via: 'none' };
  });
}

/** COCO-80 class → label by name (spelling table first); every class must map. */
export function cocoMap(names: string[], labels: TaxonomyLabel[]): ClassMapEntry[] {
  const byId = new Map(labels.map((l) => [l.id, l]));
  const byEn = new Map<string, TaxonomyLabel>();
  for (const label of labels) if (!byEn.has(label.en.toLowerCase())) byEn.set(label.en.toLowerCase(), label);
  return names.map((name, index) => {
    const override = COCO_OVERRIDES[name];
    const label = override ? byId.get(override) : byEn.get(name.toLowerCase());
    if (!label) throw new Error(`COCO class ${index} (${name}) has no label${override ? ` (override ${override} missing)` : ''}`);
    return { index, name, labelId: label.id, via: override ? 'override' : label.wnid ?? 'override' };
  });
}
