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
  // Classes WordNet only takes up to "artifact", which here is RAM's 手工艺品 (handicraft): a
  // television or a fridge labelled 手工艺品 is wrong in Chinese and useless in English. Each goes
  // to the most specific label that is right, else to its category.
  416: 'sports-equipment', // balance beam
  426: 'gauge', // barometer
  431: 'cradle', // bassinet
  432: 'musical-instrument', // bassoon
  442: 'bell-tower', // bell cote
  447: 'binocular', // binoculars
  448: 'bird-house', // birdhouse
  455: 'bottle-cap', // bottlecap
  464: 'belt-buckle', // buckle
  482: 'cassette-deck', // cassette player
  494: 'wind-chime', // chime
  501: 'cloak', // cloak
  520: 'cradle', // crib
  532: 'dinning-table', // dining table (餐桌)
  550: 'coffee-machine', // espresso maker
  577: 'musical-instrument', // gong
  583: 'weapon', // guillotine
  592: 'electronics', // hard disc
  594: 'musical-instrument', // harp
  597: 'weapon', // holster
  600: 'hook', // hook
  601: 'gown', // hoopskirt
  606: 'appliance', // iron, for clothes (the iron label is the metal)
  622: 'camera-lens', // lens cap
  626: 'tool', // lighter (the lighter label is a barge)
  631: 'personal-care', // lotion
  642: 'musical-instrument', // marimba
  643: 'mask', // mask
  662: 'router', // modem
  664: 'computer-monitor', // monitor
  676: 'tool', // muzzle, for a dog (the muzzle label is a gun's)
  677: 'tool', // nail
  678: 'medical', // neck brace
  680: 'baby-bottle', // nipple, of a baby's bottle
  684: 'musical-instrument', // ocarina
  688: 'electronics', // oscilloscope
  689: 'clothing', // overskirt
  691: 'medical', // oxygen mask
  699: 'musical-instrument', // panpipe
  702: 'sports-equipment', // parallel bars
  713: 'printer', // photocopier
  731: 'tool', // plunger
  744: 'missile', // projectile
  754: 'radio', // radio
  760: 'fridge', // refrigerator
  775: 'clothing', // sarong
  777: 'weapon', // scabbard
  789: 'door', // shoji
  801: 'snorkel', // snorkel
  822: 'drum', // steel drum
  838: 'personal-care', // sunscreen
  848: 'cassette-deck', // tape player
  851: 'television', // television
  856: 'harvester', // thresher
  894: 'cabinet', // wardrobe
  908: 'plane', // wing, of an aircraft
  921: 'book-cover', // book jacket
  // Classes WordNet only takes to a broad label (container, structure, mammal, carnivore,
  // invertebrate) or to none (the fungi), where the taxonomy has the thing itself.
  70: 'spider', // harvestman: daddy longlegs, as a spider
  101: 'elephant', // tusker
  124: 'lobster', // crayfish: 小龙虾
  273: 'dog', // dingo: a wild dog, to anyone looking
  274: 'dog', // dhole: a wild dog
  275: 'dog', // African hunting dog: a wild dog
  331: 'rabbit', // hare
  342: 'pig', // wild boar
  349: 'sheep', // bighorn
  355: 'alpaca', // llama: 羊驼 names both
  359: 'ferret', // black-footed ferret
  435: 'tub', // bathtub
  547: 'train', // electric locomotive: WordNet's wheeled vehicles are containers
  572: 'wine-glass', // goblet
  582: 'supermarket', // grocery store
  586: 'vehicle', // half track: WordNet's wheeled vehicles are containers
  599: 'beehive', // honeycomb
  624: 'library', // library
  649: 'monument', // megalith
  670: 'moped', // motor scooter: WordNet's wheeled vehicles are containers
  727: 'observatory', // planetarium
  974: 'hot-spring', // geyser: a spouting hot spring
  991: 'fungi', // coral fungus
  992: 'mushroom', // agaric
  993: 'mushroom', // gyromitra
  994: 'mushroom', // stinkhorn
  995: 'mushroom', // earthstar
  996: 'mushroom', // hen-of-the-woods
  997: 'mushroom', // bolete
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
