// Curated rules for what WordNet alone places badly. Keys are RAM tags (English, as in the list).
// Checked in this order: CATEGORY_OVERRIDES, KEYWORD_RULES, then WordNet (with SENSE_OVERRIDES).

/** Regexes over the whole tag (lowercase): tags whose last word(s) say what they are. */
export const KEYWORD_RULES: [RegExp, string][] = [
  [/\b(flood|flooding|earthquake|tsunami|hurricane|tornado|typhoon|wildfire|forest fire|landslide|mudslide|avalanche|drought|eruption|disaster|catastrophe|accident|car crash|crash|wreck|wreckage|collapse|debris|ruins?|explosion|fire damage|house fire)$/, 'disaster'],
  [/\b(concert|recital|opera|ballet|circus|talent show|show|stage performance|performance|magic show|musical|theater play|gig|live music|street performance|fashion show|puppet show)$/, 'performance'],
  [/\b(wedding|festival|party|birthday|ceremony|graduation|parade|carnival|anniversary|christmas|halloween|new year|celebration|banquet|reception|prom|fireworks display)$/, 'celebration'],
  [/\b(office|meeting|conference|seminar|presentation|business meeting|interview|negotiation|lecture|workshop|press conference|trade show|exhibition|expo)$/, 'business-event'],
  [/\b(construction site|assembly line|production line|harvest|harvesting|manufacturing|mining|welding|farming|agriculture|industry|factory work|plowing)$/, 'production-event'],
  [/\b(vintage|retro|minimalism|minimalist|modern|abstract|black and white|monochrome|cartoon|anime|illustration style|silhouette|bokeh|close-up|closeup|aerial view|panorama|selfie|portrait|still life|pop art|graffiti)$/, 'style'],
];

/** Tags placed in a category outright (WordNet's sense or placement is wrong or missing). */
export const CATEGORY_OVERRIDES: Record<string, string> = {
  ski: 'sports-equipment',
  snowboard: 'sports-equipment',
  surfboard: 'sports-equipment',
  skateboard: 'sports-equipment',
  'tennis racket': 'sports-equipment',
  kite: 'toy',
  keyboard: 'electronics',
  clock: 'household',
  'wine glass': 'tableware',
  knife: 'tableware',
  spoon: 'tableware',
  cup: 'tableware',
  bottle: 'tableware',
  snow: 'weather-and-sky',
  smartphone: 'electronics',
  plate: 'tableware',
  'whipped cream': 'food',
  stem: 'plant',
  design: 'style',
  algae: 'plant',
  'American shorthair': 'animal',
  bichon: 'animal',
  autumn: 'weather-and-sky',
  ceiling: 'building',
  chandelier: 'household',
  blackboard: 'household',
  calendar: 'document',
  banknote: 'document',
  cash: 'document',
  'bank card': 'document',
  'business card': 'document',
  baozi: 'food',
  bento: 'food',
  bibimbap: 'food',
  'adhesive tape': 'tool',
  binocular: 'tool',
  bodyboard: 'sports-equipment',
  atv: 'vehicle',
  audi: 'vehicle',
  'car window': 'vehicle',
  advertisement: 'symbol',
  applause: 'performance',
  barista: 'people',
  'bus driver': 'people',
  biker: 'people',
  'bird nest': 'animal',
  'baby clothe': 'clothing',
  'bath mat': 'household',
  barbie: 'toy',
  'big ben': 'building',
  manhattan: 'drink',
  iphone: 'electronics',
  phone: 'electronics',
};

/** Tags whose WordNet sense is chosen by hand (wnid). */
export const SENSE_OVERRIDES: Record<string, string> = {
  plane: 'n02691156', // airplane, not the carpenter's plane
  mouse: 'n03793489',
  couch: 'n04256520', // sofa, not the psychiatrist's couch // computer mouse (RAM: 鼠标)
  kite: 'n03621473', // the toy kite, not the bird
  tie: 'n03815615', // necktie
  ski: 'n04228054',
  keyboard: 'n03614007',
  knife: 'n03623556', // table knife
  clock: 'n03046257',
  missile: 'n03773504', // the guided missile ImageNet means
  snowboard: 'n04251791',
  surfboard: 'n04363559',
};

/** Tag → parent tag, where the WordNet path gives none or a wrong one (both in the same category). */
export const PARENT_OVERRIDES: Record<string, string> = {
  // Models that see a bald eagle should also say eagle (IMM's own example of a parent label).
  'bald eagle': 'eagle',
};

/** Tags too general to group others under (they stay level-2 leaves of their category). */
export const GENERIC_TAGS = new Set<string>(['artifact', 'object', 'thing', 'container', 'device', 'equipment', 'mammal', 'vertebrate', 'carnivore', 'placental', 'feline', 'canine', 'ungulate', 'seat', 'set', 'invertebrate', 'organism', 'structure', 'area', 'room', 'covering', 'substance', 'matter', 'material']);

/** Chinese aliases beyond RAM's own names (IMM's example: 椅子 also 座椅), by label id. */
export const CURATED_ZH_ALIASES: Record<string, string[]> = {
  chair: ['座椅'],
  couch: ['长沙发', '沙发椅'],
  car: ['轿车', '小汽车'],
  dog: ['犬', '狗狗'],
  cat: ['猫咪'],
  person: ['人类', '个人'],
  smartphone: ['智能手机', '移动电话'],
  table: ['餐桌', '桌台'],
  fridge: ['电冰箱'],
};
