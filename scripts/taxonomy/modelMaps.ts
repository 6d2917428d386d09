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
  // A class-by-class review of the whole map: WordNet's chain reached another sense (a brassiere
  // as a hair band, a puck as a circle, a slide rule as a computer) or stopped short of a label the
  // taxonomy has.
  8: 'hen', // hen, was bird: hen 母鸡 label exists
  50: 'crocodile', // American alligator, was reptile: alligator; 鳄鱼 covers crocodilians
  82: 'bonasa-umbellu', // ruffed grouse, was bird: ruffed grouse = Bonasa umbellus 披肩榛鸡
  148: 'grampus', // killer whale, was dolphin: orca shown as 海豚; 逆戟鲸 exists
  149: 'manatee', // dugong, was mammal: dugong is a sirenian (海牛)
  237: 'dog', // miniature pinscher, was guard-dog: toy breed, not 看门狗 (WordNet pinscher chain)
  250: 'husky', // Siberian husky, was dog: Siberian husky; husky label exists
  252: 'dog', // affenpinscher, was guard-dog: toy breed, not 看门狗 (WordNet pinscher chain)
  281: 'tabby', // tabby, was cat: tabby 虎斑 label exists
  282: 'tabby', // tiger cat, was cat: tiger cat is a striped tabby
  287: 'bobcat', // lynx, was catamount: lynx labelled 美洲狮 cougar
  393: 'clown-fish', // anemone fish, was fish: anemone fish = clownfish 小丑鱼
  410: 'beehive', // apiary, was shed: apiary = bee hives, not 棚
  413: 'rifle', // assault rifle, was machine-gun: assault rifle is a rifle, not 机枪
  424: 'barber-shop', // barbershop, was store: barber shop 理发店 label exists
  438: 'beaker', // beaker, was jar: lab beaker 烧杯 label exists
  459: 'underclothes', // brassiere, was bandeau: bra mapped to hair band 束发带
  461: 'armor', // breastplate, was shield: breastplate is body armor not 盾牌
  467: 'butchers-shop', // butcher shop, was store: butcher shop 肉铺 label exists
  471: 'cannon', // cannon, was gun: cannon 大炮 label exists, not 枪
  496: 'christmas-decoration', // Christmas stocking, was stocking: Christmas stocking is decoration, not 长筒袜
  499: 'kitchen-knife', // cleaver, was knife: cleaver is kitchen knife, not 餐刀
  506: 'spiral', // coil, was structure: coil/spiral, not a building structure
  544: 'pot', // Dutch oven, was oven: Dutch oven is a cooking pot, not 烤箱
  556: 'fireplace', // fire screen, was screen: fire screen is not a display 屏幕
  571: 'gas-station', // gas pump, was pump: fuel dispenser; 泵 misleading
  580: 'greenhouse-outdoor', // greenhouse, was greenhouse-indoor: images mostly greenhouse exteriors
  584: 'hairpin', // hair slide, was clip: hair slide = 发夹
  607: 'halloween-pumpkin', // jack-o'-lantern, was lantern: jack-o’-lantern; 万圣节南瓜 exists
  638: 'leotard', // maillot, was tights: maillot = one-piece body suit, not 紧身裤袜
  669: 'net', // mosquito net, was screen: mosquito net is not a display 屏幕
  690: 'vehicle', // oxcart, was cart: oxcart shown as 手推车 handcart
  723: 'toy', // pinwheel, was wheel: pinwheel toy is not a vehicle wheel 车轮
  729: 'tableware', // plate rack, was structure: plate rack is kitchenware, not 结构
  739: 'pottery', // potter's wheel, was wheel: potter’s wheel is not a vehicle wheel 车轮
  748: 'handbag', // purse, was bag: purse; handbag alias purse
  756: 'barrel', // rain barrel, was reservoir: rain barrel shown as 储层 (geologic reservoir)
  787: 'shield', // shield, was armor: shield label 盾牌 exists
  798: 'ruler', // slide rule, was computer: slide rule is not a computer (电脑)
  800: 'slot-machine', // slot, was slot: ImageNet slot = slot machine, not coin slot 投币口
  819: 'stage', // stage, was platform: stage 舞台 label exists
  825: 'wall', // stone wall, was fence: stone wall is a wall, not 栅栏
  827: 'stove', // stove, was heater: kitchen stove; stove 炉子 exists
  836: 'sunglasses', // sunglass, was lens: class images are sunglasses, not camera lens 镜头
  849: 'tea-pot', // teapot, was pot: teapot labelled cooking pot 锅
  854: 'stage', // theater curtain, was curtain: theater curtain is not window curtain 窗帘
  878: 'typewriter', // typewriter keyboard, was keyboard: class images are typewriters; label exists
  884: 'ceiling', // vault, was vault: arched vault ceiling, not bank vault 金库
  895: 'fighter-jet', // warplane, was craft: warplane; 战斗机 exists (not generic craft)
  934: 'hot-dog', // hotdog, was sandwich: hot dog label exists
  947: 'mushroom', // mushroom, was vegetable: mushroom 蘑菇 label exists
  959: 'spaghetti', // carbonara, was sauce: carbonara is a pasta dish, not 酱汁
  964: 'pie', // potpie, was dishes: potpie is a pie
  971: 'bubble', // bubble, was sphere: bubble label exists; sphere is a shape symbol
  982: 'groom', // groom, was participant: bridegroom; groom label exists
  987: 'corn', // corn, was seed: corn 玉米 label exists
  // Classes WordNet folded into a broad label where the taxonomy has the thing itself.
  433: 'swim-cap', // bathing cap, was cap: swim cap 泳帽 label exists
  578: 'gown', // gown, was dress: the formal gown, 礼服
  805: 'football', // soccer ball, was ball: RAM's football 足球 is the ball
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
    return { index, name, labelId: label.id, via: override ? 'override' : (label.wnid ?? 'override') };
  });
}
