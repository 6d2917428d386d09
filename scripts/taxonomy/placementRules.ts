// Curated rules for what WordNet alone places badly. Keys are RAM tags (English, as in the list).
// Checked in this order: CATEGORY_OVERRIDES, KEYWORD_RULES, then WordNet (with SENSE_OVERRIDES).
// Each table joins the rules written here with the label-by-label review in reviewedPlacements.ts
// and the scene review in sceneLayout.ts.
import {
  REVIEWED_CATEGORY_GROUPS,
  REVIEWED_DROPPED_ALIASES_EN,
  REVIEWED_DROPPED_ALIASES_ZH,
  REVIEWED_PARENTS,
  REVIEWED_SENSES,
  REVIEWED_UNGROUPED,
  REVIEWED_ZH,
} from './reviewedPlacements';
import {
  SCENE_ALIASES,
  SCENE_CATEGORY_GROUPS,
  SCENE_DROPPED_ALIASES,
  SCENE_PARENTS,
  SCENE_SENSES,
  SCENE_UNGROUPED,
  SCENE_ZH,
} from './sceneLayout';

/** Joins rule tables; a key both give must agree, so no rule silently loses to another. */
function joined<T>(name: string, ...tables: Record<string, T>[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const table of tables) {
    for (const [key, value] of Object.entries(table)) {
      if (key in out && JSON.stringify(out[key]) !== JSON.stringify(value))
        throw new Error(`${name}: "${key}" is given twice, differently`);
      out[key] = value;
    }
  }
  return out;
}

const byTag = (groups: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(groups).flatMap(([category, tags]) => tags.map((tag) => [tag, category])));

/** Regexes over the whole tag (lowercase): tags whose last word(s) say what they are. */
export const KEYWORD_RULES: [RegExp, string][] = [
  [
    /\b(flood|flooding|earthquake|tsunami|hurricane|tornado|typhoon|wildfire|forest fire|landslide|mudslide|avalanche|drought|eruption|disaster|catastrophe|accident|car crash|crash|wreck|wreckage|collapse|debris|ruins?|explosion|fire damage|house fire)$/,
    'disaster',
  ],
  [
    /\b(concert|recital|opera|ballet|circus|talent show|show|stage performance|performance|magic show|musical|theater play|gig|live music|street performance|fashion show|puppet show)$/,
    'performance',
  ],
  [
    /\b(wedding|festival|party|birthday|ceremony|graduation|parade|carnival|anniversary|christmas|halloween|new year|celebration|banquet|reception|prom|fireworks display)$/,
    'celebration',
  ],
  [
    /\b(office|meeting|conference|seminar|presentation|business meeting|interview|negotiation|lecture|workshop|press conference|trade show|exhibition|expo)$/,
    'business-event',
  ],
  [
    /\b(construction site|assembly line|production line|harvest|harvesting|manufacturing|mining|welding|farming|agriculture|industry|factory work|plowing)$/,
    'production-event',
  ],
  // A cooking method makes a dish: "fried chicken" and "grilled eel" are food, not animals.
  [/^(fried|roast|roasted|grilled|steamed|baked|boiled|braised|smoked|scrambled|stir fried)\b/, 'food'],
  // A ball game's "game" or "match" is the contest, not hunted game or a friction match.
  [/\b(football|soccer|baseball|basketball|hockey|tennis|rugby|volleyball|cricket|golf)\b.* (game|match)$/, 'sport'],
  // Someone who races, drives or rides is a person, not a racer snake or a racehorse.
  [/ (racer|driver|rider|biker)$/, 'people'],
  [
    /\b(vintage|retro|minimalism|minimalist|modern|abstract|black and white|monochrome|cartoon|anime|illustration style|silhouette|bokeh|close-up|closeup|aerial view|panorama|selfie|portrait|still life|pop art|graffiti)$/,
    'style',
  ],
];

/**
 * Tags WordNet places nowhere (no synset, or only abstract ones) or wrongly, by category: without an
 * entry they would land in "other". Verbs and adjectives RAM lists go to the action, weather or
 * style they describe; photo kinds are styles; named landmarks are buildings.
 */
const CATEGORY_GROUPS: Record<string, string[]> = {
  action: [
    'add',
    'adjust',
    'assemble',
    'attach',
    'attend',
    'buy',
    'carve',
    'cheer',
    'clothe',
    'connect',
    'conversation',
    'create',
    'crochet',
    'decorate',
    'deliver',
    'direct',
    'eat',
    'edit',
    'extrude',
    'give',
    'graze',
    'greet',
    'greeting',
    'grow',
    'handshake',
    'install',
    'lean',
    'learn',
    'line up',
    'locate',
    'lose',
    'meditation',
    'operate',
    'pay',
    'pick up',
    'pour',
    'receive',
    'relax',
    'remodel',
    'remove',
    'salute',
    'sew',
    'sing',
    'sip',
    'sit',
    'sleep',
    'sunbathe',
    'teach',
    'thinking',
    'type on',
    'wield',
    'write',
  ],
  'weather-and-sky': [
    'snowman',
    'cloudy',
    'foggy',
    'frosty',
    'rainy',
    'snowy',
    'stormy',
    'sunny',
    'windy',
    'damp',
    'wet',
    'moisture',
    'hot',
    'cool',
    'warm',
    'temperature',
    'frozen',
    'dusk',
    'evening',
    'night',
    'midnight',
    'summer',
    'winter',
    'season',
    'summer evening',
    'rainbow',
    'comet',
    'constellation',
    'universe',
    'snow',
    'autumn',
  ],
  style: [
    'backdrop',
    'film format',
    'reflect',
    'close-up',
    'face close-up',
    'couple photo',
    'family photo',
    'file photo',
    'group photo',
    'id photo',
    'old photo',
    'photo',
    'screenshot',
    'snapshot',
    'team photo',
    'wedding photo',
    'studio shot',
    'backlight',
    'profile',
    'beautiful',
    'bright',
    'stunning',
    'medieval',
    'traditional',
    'luxury',
    'design',
  ],
  'natural-landscape': [
    'cape cod',
    'caribbean',
    'islet',
    'gobi',
    'siberia',
    'lake district',
    'erosion',
    'ecosystem',
    'underwater',
    'grassy',
    'rocky',
    'mountain snowy',
  ],
  'outdoor-scene': ['quarry', 'rural', 'urban', 'city nightview', 'tourist attraction', 'maze', 'tarmac', 'manhole', 'traffic congestion'],
  'indoor-scene': ['living space', 'dance floor'],
  building: [
    'historic',
    'building facade',
    'facade',
    'headquarter',
    'pyramid',
    'Eiffel tower',
    'Empire State Building',
    'Golden Gate Bridge',
    'forbidden city',
    'moat',
    'scaffold',
    'infrastructure',
    'loading dock',
    'box girder bridge',
    'ceiling',
    'big ben',
  ],
  animal: [
    'American shorthair',
    'english shorthair',
    'bichon',
    'labrador',
    'pitbull',
    'shiba inu',
    'dog breed',
    'koi',
    'seabass',
    'jackcrab',
    'bonasa umbellu',
    'wildlife',
    'seashell',
    'bird nest',
  ],
  plant: ['moss', 'seaweed', 'fungi', 'clivia', 'mistletoe', 'maple leaf', 'algae', 'stem'],
  people: ['royal', 'crowded', 'group', 'santa claus', 'truck driver', 'mountain biker', 'barista', 'bus driver', 'biker'],
  body: ['scar', 'wrinkle', 'shirtless'],
  food: [
    'chicken breast',
    'chicken wing',
    'foie gra',
    'leftover',
    'pitaya',
    'starfruit',
    'satay',
    'zongzi',
    'hamburg',
    'flavor',
    'sugar cube',
    'whipped cream',
    'baozi',
    'bento',
    'bibimbap',
  ],
  drink: ['milkshake', 'ice cube', 'manhattan'],
  tableware: [
    'place mat',
    'potholder',
    'tong',
    'cutting board',
    'tablecloth',
    'tinfoil',
    'wine glass',
    'knife',
    'spoon',
    'cup',
    'bottle',
    'plate',
  ],
  furniture: ['mattress', 'nightstand', 'headboard', 'futon', 'round table', 'podium', 'pulpit', 'bucket cabinet', 'cat tree'],
  household: [
    'pillow',
    'throw pillow',
    'clothesline',
    'ironing board',
    'dishsoap',
    'souvenir',
    'paperweight',
    'droplight',
    'jacuzzi',
    'urinal',
    'crapper',
    'plumbing fixture',
    'kitchen sink',
    'door handle',
    'handle',
    'mail slot',
    'tatami',
    'fixture',
    'light fixture',
    'shower head',
    'clock',
    'chandelier',
    'blackboard',
    'bath mat',
  ],
  appliance: ['humidifier'],
  'personal-care': ['freshener', 'sanitary napkin', 'floss', 'hair roller'],
  electronics: [
    'enter',
    'app',
    'hardware',
    'motherboard',
    'connector',
    'electric outlet',
    'mousepad',
    'ipad',
    'Wii',
    'payphone',
    'projection screen',
    'keyboard',
    'smartphone',
    'iphone',
    'phone',
  ],
  vehicle: ['convertible', 'auto part', 'tire', 'hoverboard', 'raft', 'atv', 'audi', 'car window'],
  clothing: [
    'lanyard',
    'wristband',
    'sweatband',
    'waistband',
    'neckline',
    'hoodie',
    'cheongsam',
    'hanfu',
    'wetsuit',
    'skiing shoes',
    'baby clothe',
  ],
  'sports-equipment': [
    'scoreboard',
    'bobfloat',
    'dartboard',
    'longboard',
    'diving board',
    'ski',
    'snowboard',
    'surfboard',
    'skateboard',
    'tennis racket',
    'bodyboard',
  ],
  sport: [
    'athletic',
    'fitness',
    'billard',
    'play billiard',
    'play pong',
    'karting',
    'motorsport',
    'formula 1',
    'mountain biking',
    'triathlon',
    'martial',
    'bungee',
    'compete',
    'wheelie',
    'cheerlead',
  ],
  toy: [
    'swinge',
    'foosball',
    'chessboard',
    "rubik's cube",
    'aircraft model',
    'automobile model',
    'scale model',
    'stuffed animal',
    'kite',
    'barbie',
  ],
  'musical-instrument': ['erhu', 'guzheng', 'pipa'],
  tool: [
    'duct tape',
    'twine',
    'hinge',
    'clipboard',
    'whiteboard',
    'flipchart',
    'inking pad',
    'stencil',
    'pegboard',
    'roller',
    'lasso',
    'adhesive tape',
    'binocular',
  ],
  celebration: ['christmas eve', 'independence day', 'navratri', 'easter bunny', 'celebrate', 'honeymoon'],
  performance: ['stunt', 'airshow', 'perform', 'cosplay', 'applause'],
  art: [
    'collage',
    'doodle',
    'comic strip',
    'manga',
    'figurine',
    'mythology',
    'unicorn',
    'mermaid',
    'vampire',
    'leprechaun',
    'cupid',
    'deity',
    'loki',
    'superhero',
    'ultraman',
    'gundam',
    'totoro',
    'garfield',
    'image',
    'album',
  ],
  medical: ['dermopathy', 'medical image'],
  document: [
    'graph',
    'plan',
    'map',
    'elevation map',
    'floor plan',
    'checkbook',
    'checklist',
    'list',
    'passbook',
    'text message',
    'coloring book',
    'bookmark',
    'recipe',
    'paperback book',
    'coin',
    'penny',
    'money',
    'currency',
    'credit card',
    'identity card',
    'keycard',
    'calendar',
    'banknote',
    'cash',
    'bank card',
    'business card',
  ],
  emotion: ['friendship'],
  // 世界: WordNet's only sense is humankind, which would make it an animal.
  other: ['world'],
  material: ['ceramic'],
  symbol: ['rosary', 'badge', 'signage', 'license plate', 'doorplate', 'speed limit', 'mascot', 'traffic cone', 'advertisement'],
};

/** Tags placed in a category outright (WordNet's sense or placement is wrong or missing). */
export const CATEGORY_OVERRIDES: Record<string, string> = joined(
  'category overrides',
  byTag(CATEGORY_GROUPS),
  byTag(REVIEWED_CATEGORY_GROUPS),
  byTag(SCENE_CATEGORY_GROUPS),
);

/** Tags whose WordNet sense is chosen by hand (wnid). */
export const SENSE_OVERRIDES: Record<string, string> = {
  plane: 'n02691156', // airplane, not the carpenter's plane
  mouse: 'n03793489', // computer mouse (RAM: 鼠标)
  couch: 'n04256520', // sofa, not the psychiatrist's couch
  kite: 'n03621473', // the toy kite, not the bird
  tie: 'n03815615', // necktie
  ski: 'n04228054',
  keyboard: 'n03614007',
  knife: 'n03623556', // table knife
  clock: 'n03046257',
  missile: 'n03773504', // the guided missile ImageNet means
  snowboard: 'n04251791',
  surfboard: 'n04363559',
  // Words whose person, animal or plant sense WordNet ranks first, though RAM (and photos) mean the
  // thing; an entry here also holds at the end of a longer tag ("ceiling fan", "hotel lobby").
  fan: 'n03320046', // 风扇: the machine, not a devotee
  fixture: 'n03354613', // 固定装置: a fitting ("light fixture"), not a regular customer
  head: 'n05538625', // 头: the body part, not a chief
  image: 'n03931044', // a picture ("medical image"), not a look-alike
  lobby: 'n02715513', // 大堂: the entrance hall, not a pressure group
  holder: 'n03525454', // a device that holds ("facial tissue holder"), not a bearer
  divider: 'n03894379', // a partition ("room divider"), not a person who divides
  roller: 'n04101497', // 辊: the cylinder, not the bird
  chess: 'n00503237', // 国际象棋: the board game, not the grass Bromus secalinus
  cone: 'n13872592', // 锥形物: the shape ("traffic cone"), not a pine cone
  cube: 'n13916721', // 立方体: the solid, not the plant
  match: 'n07470671', // 比赛: the contest, not a friction match
  plantation: 'n03463832', // 种植园: the planted estate, not the town in Florida
  quarry: 'n03949442', // 采石场: the stone pit, not hunted prey
  film: 'n06613686', // a movie ("horror film"), not photographic film
  ride: 'n00307631', // a trip riding something ("horse ride"), not a fairground machine
  square: 'n08619620', // a public square ("town square"), not the carpenter's square
  'sweat pant': 'n04489008', // trousers, not panting
  stunt: 'n00046344', // 特技: a feat, not a stunted animal
  royal: 'n08153437', // 皇家: royalty, not the royal stag
  convertible: 'n03100240', // 敞篷车: the car, not the sofa bed
  joint: 'n05595083', // 关节: the body's joint
  stable: 'n04294879', // 马厩: the horse barn
  'amusement ride': 'n04088797', // the fairground machine
  'shower head': 'n04209383', // showerhead, not the head of a person
  'eye shadow': 'n03309687', // eyeshadow, the cosmetic
  'studio shot': 'n04248607', // a photograph, not a shooter
  'mp3 player': 'n03584254', // a portable audio player, not a participant
  'motorcycle racer': 'n10334009', // motorcyclist, not the racer snake
  'hair roller': 'n03150232', // hair curler
  'pine cone': 'n11682842', // the strobilus of a pine
  'aircraft model': 'n03777283', // a scale model, not a fashion model
  'automobile model': 'n03777283',
  'scale model': 'n03777283',
  'fume hood': 'n03531546', // exhaust hood, not a garment's hood
  'kitchen hood': 'n03531546',
  'christmas light': 'n03665366', // a light source (lamp), not visible radiation
  'neon light': 'n03665366',
  'stage light': 'n03665366',
  'street light': 'n03665366',
  'stop light': 'n03665366',
};
/** Senses chosen by hand for whole tags (unlike SENSE_OVERRIDES, not for the tags they end). */
export const TAG_SENSES = joined('tag senses', REVIEWED_SENSES, SCENE_SENSES);

/** Tag → parent tag, where the WordNet path gives none or a wrong one (both in the same category). */
const OWN_PARENT_OVERRIDES: Record<string, string> = {
  // Models that see a bald eagle should also say eagle (IMM's own example of a parent label).
  'bald eagle': 'eagle',
  // Breeds and species WordNet does not know (or RAM spells its own way) go under their kind.
  'American shorthair': 'cat',
  'english shorthair': 'cat',
  bichon: 'dog',
  labrador: 'dog',
  pitbull: 'dog',
  'shiba inu': 'dog',
  koi: 'fish',
  seabass: 'fish',
  jackcrab: 'crab',
  'bonasa umbellu': 'bird',
  // A species beside its only relative would stay a level-2 sibling (groups need two members).
  'bengal tiger': 'tiger',
  'garden spider': 'spider',
  'king crab': 'crab',
  'hermit crab': 'crab',
  'tree frog': 'frog',
  bunny: 'rabbit',
  'dog breed': 'dog',
  // A lakeshore photo shows the lake: searching for lakes should find it (as a beach is a coast).
  lakeshore: 'lake',
};
export const PARENT_OVERRIDES = joined('parent overrides', OWN_PARENT_OVERRIDES, REVIEWED_PARENTS, SCENE_PARENTS);

/** Tags that sit straight under their category, whatever group WordNet would put them in. */
export const UNGROUPED_TAGS = new Set([...REVIEWED_UNGROUPED, ...SCENE_UNGROUPED]);

/** Tags too general to group others under (they stay level-2 leaves of their category). */
export const GENERIC_TAGS = new Set<string>([
  'artifact',
  'object',
  'thing',
  'beast',
  'creature',
  'signal',
  'approach',
  'container',
  'device',
  'equipment',
  'mammal',
  'vertebrate',
  'carnivore',
  'placental',
  'feline',
  'canine',
  'ungulate',
  'seat',
  'set',
  'invertebrate',
  'organism',
  'structure',
  'area',
  'room',
  'covering',
  'substance',
  'matter',
  'material',
]);

/**
 * Chinese names where RAM's are wrong (an adjective for a noun, another sense, a bracketed note), by
 * RAM tag: the name first, then aliases. RAM's own readings are dropped for these tags.
 */
const OWN_ZH_OVERRIDES: Record<string, string[]> = {
  stem: ['茎', '花茎', '茎秆'], // RAM: （花草的）茎, a dictionary note in brackets
  stack: ['一叠', '堆叠'], // RAM: （码放整齐的）一叠
  'razor blade': ['剃须刀片', '刀片'], // RAM: 锋利的 ("sharp")
  missile: ['导弹'], // RAM: 投掷物 ("projectile"); the label is the guided missile
  convertible: ['敞篷车', '敞篷汽车'], // RAM: 可转换的 ("convertible", the adjective)
  pomeranian: ['博美犬', '博美'], // RAM: 波美拉尼亚的 ("Pomeranian", the adjective)
  stable: ['马厩', '马棚'], // RAM: 稳定的 ("stable", the adjective)
  joint: ['关节'], // RAM: 联合的 ("joint", the adjective)
  newborn: ['新生儿', '新生的'], // RAM: 新生的, an adjective; the label is the baby
  scoreboard: ['记分牌', '记分板', '计分板'],
  minivan: ['厢式旅行车', '小型厢式车', 'MPV'], // RAM: 小型货车, a small truck
  // Two labels named 狗窝 made one suggestion twice: each its own name, the shared word an alias.
  'dog bed': ['狗床', '狗垫'],
  'dog house': ['狗屋', '狗舍', '狗窝'],
  // RAM gives these no Chinese at all (the Latin name again).
  DVD: ['DVD光盘', '数字视频光盘', 'DVD'],
  ktv: ['KTV歌厅', '卡拉OK厅', 'KTV'],
  Wii: ['Wii游戏机', '任天堂Wii', 'Wii'],
};
export const ZH_OVERRIDES = joined('Chinese name overrides', OWN_ZH_OVERRIDES, REVIEWED_ZH, SCENE_ZH);

/** Aliases of another sense (WordNet's synonyms, or names pooled from another tag), by tag. */
export const DROPPED_ALIASES = {
  en: joined('dropped English aliases', REVIEWED_DROPPED_ALIASES_EN, SCENE_DROPPED_ALIASES.en),
  zh: joined('dropped Chinese aliases', REVIEWED_DROPPED_ALIASES_ZH, SCENE_DROPPED_ALIASES.zh),
};

const sceneAliases = (language: 'en' | 'zh'): Record<string, string[]> =>
  Object.fromEntries(Object.entries(SCENE_ALIASES).flatMap(([id, names]) => (names[language] ? [[id, names[language]]] : [])));

/** English aliases beyond WordNet's synonyms, by label id. */
export const CURATED_EN_ALIASES: Record<string, string[]> = joined('English aliases', sceneAliases('en'), {
  // RAM's "football" (足球) is the ball; ImageNet's soccer ball class maps to it.
  football: ['soccer ball'],
});

/** Chinese aliases beyond RAM's own names (IMM's example: 椅子 also 座椅), by label id. */
export const CURATED_ZH_ALIASES: Record<string, string[]> = joined('Chinese aliases', sceneAliases('zh'), {
  chair: ['座椅'],
  couch: ['长沙发', '沙发椅'],
  car: ['汽车', '轿车', '小汽车'],
  // 汽车 is what people type for cars; the label's own name says motor vehicle (机动车).
  'motor-vehicle': ['汽车'],
  dog: ['犬', '狗狗'],
  cat: ['猫咪'],
  person: ['人类', '个人'],
  smartphone: ['智能手机', '移动电话'],
  table: ['餐桌', '桌台'],
  fridge: ['电冰箱'],
  hamburger: ['汉堡'],
  hamburg: ['汉堡包'],
});
