// The level-1 categories, shaped after IMM's description (scenes, events, objects, ...). A RAM tag
// lands in the category of the nearest of its WordNet ancestors listed here as an anchor; keyword
// rules and overrides (placementRules.ts) handle what WordNet places badly or not at all.

export interface CategoryDefinition {
  id: string;
  en: string;
  zh: string;
  aliasesEn?: string[];
  aliasesZh?: string[];
  /** WordNet synsets whose descendants belong here. */
  anchors: string[];
  /** Broad synsets that count only when no other category's anchor is above a synset at all. */
  weakAnchors?: string[];
  /** RAM tags that name the category itself: they become the category, not a child of it. */
  ramTags?: string[];
  /** Scene categories take Places365 scenes. */
  scene?: 'indoor' | 'outdoor' | 'natural';
}

export const CATEGORIES: CategoryDefinition[] = [
  // Scenes
  { id: 'natural-landscape', en: 'natural landscape', zh: '自然风光', aliasesZh: ['自然景观', '风景'], aliasesEn: ['nature', 'scenery'], scene: 'natural',
    anchors: ['n09287968', 'n09225146', 'n09334396', 'n09335240', 'n08646902', 'n08646787', 'n09416076', 'n09308398'], ramTags: ['landscape', 'nature', 'scenery'] },
  { id: 'weather-and-sky', en: 'weather and sky', zh: '天气与天空', aliasesZh: ['天气', '天空'], aliasesEn: ['weather', 'sky'],
    anchors: ['n11524662', 'n11494638', 'n09436708', 'n09239740', 'n11425580', 'n09247410', 'n11473954', 'n11419404'], ramTags: ['weather'] },
  { id: 'indoor-scene', en: 'indoor scene', zh: '室内场景', aliasesZh: ['室内'], aliasesEn: ['interior'], scene: 'indoor',
    anchors: ['n04105893'], ramTags: ['indoor', 'interior'] },
  { id: 'outdoor-scene', en: 'outdoor and urban scene', zh: '户外与城市场景', aliasesZh: ['户外', '城市风光', '街景'], aliasesEn: ['outdoor scene', 'urban scene', 'cityscape'], scene: 'outdoor',
    anchors: ['n08574314', 'n08675967', 'n04096066', 'n04564698', 'n03315023'], weakAnchors: ['n00027167', 'n08630985', 'n08630039'], ramTags: ['outdoor', 'cityscape'] },
  { id: 'building', en: 'building and structure', zh: '建筑', aliasesZh: ['建筑物', '构筑物'], aliasesEn: ['building', 'architecture', 'structure'],
    anchors: ['n02913152', 'n03546340', 'n03259505', 'n03953416', 'n03743902'], weakAnchors: ['n04341686'], ramTags: ['building', 'architecture'] },
  // Venues: places by what they are for, indoors or out (Places365's qualifiers). They take only
  // the tags and scenes sceneLayout.ts lists: WordNet's "structure" and "facility" reach far wider.
  { id: 'sports-venue', en: 'sports venue', zh: '体育场馆', aliasesZh: ['运动场馆', '体育场所', '运动场所'], aliasesEn: ['sports facility', 'sports ground'], anchors: [] },
  { id: 'transport-facility', en: 'transport facility', zh: '交通场所', aliasesZh: ['交通设施', '交通枢纽'], aliasesEn: ['transport hub', 'transportation facility'], anchors: [] },
  { id: 'shop-and-market', en: 'shop and market', zh: '商店与市场', aliasesZh: ['购物场所', '零售场所'], aliasesEn: ['shops and markets', 'retail venue'], anchors: [] },
  { id: 'food-and-drink-venue', en: 'food and drink venue', zh: '餐饮场所', aliasesZh: ['餐饮', '饮食场所'], aliasesEn: ['restaurant and bar', 'dining venue'], anchors: [] },
  { id: 'religious-site', en: 'religious and memorial site', zh: '宗教与纪念场所', aliasesZh: ['宗教场所', '宗教建筑', '礼拜场所'], aliasesEn: ['religious building', 'place of worship', 'memorial site'], anchors: [] },
  { id: 'culture-and-leisure-venue', en: 'culture and leisure venue', zh: '文化娱乐场所', aliasesZh: ['文娱场所', '娱乐场所', '文化场馆'], aliasesEn: ['entertainment venue', 'cultural venue', 'leisure venue'], anchors: [] },
  { id: 'disaster', en: 'disaster and accident', zh: '灾害与事故', aliasesZh: ['灾害', '灾难', '事故'], aliasesEn: ['disaster', 'accident', 'catastrophe'],
    anchors: ['n07314838', 'n14476290', 'n00217499', 'n07301336', 'n11417672', 'n07302836', 'n07308563'], ramTags: ['disaster'] },
  // Events
  { id: 'performance', en: 'performance', zh: '演出', aliasesZh: ['表演', '才艺表演', '文艺演出'], aliasesEn: ['show', 'talent show', 'stage performance'],
    anchors: ['n06891493', 'n06619065', 'n00520257', 'n00550771', 'n00428270', 'n07020538', 'n00100253', 'n06892016'], ramTags: ['performance'] },
  { id: 'celebration', en: 'ceremony and festival', zh: '庆典与节日', aliasesZh: ['庆典', '节日', '仪式', '聚会'], aliasesEn: ['ceremony', 'festival', 'celebration', 'party'],
    anchors: ['n07450842', 'n01026897', 'n01027379', 'n00428000', 'n07450651', 'n07447641', 'n08252602', 'n00517728', 'n15162388', 'n01028082', 'n07452074'], ramTags: ['celebration', 'ceremony', 'festival'] },
  { id: 'business-event', en: 'office and business event', zh: '办公与商务活动', aliasesZh: ['办公', '商务活动', '会议'], aliasesEn: ['office event', 'business event', 'meeting'],
    anchors: ['n01230965', 'n08307589', 'n07143624', 'n01094725', 'n01090446'], ramTags: ['business'] },
  { id: 'production-event', en: 'production and industrial work', zh: '生产作业', aliasesZh: ['生产活动', '工业生产', '农业生产'], aliasesEn: ['production event', 'industry', 'manufacturing'],
    anchors: ['n00923444', 'n00916464', 'n00911048', 'n00924825', 'n00620752'], ramTags: ['industry', 'manufacturing', 'production'] },
  { id: 'sport', en: 'sport and fitness', zh: '体育运动', aliasesZh: ['运动', '体育', '体育赛事', '健身'], aliasesEn: ['sports', 'sports event', 'fitness'],
    anchors: ['n00523513', 'n00433216', 'n00456199', 'n07456188', 'n01168961', 'n00624738'], ramTags: ['sport'] },
  { id: 'action', en: 'action and activity', zh: '动作与行为', aliasesZh: ['动作', '行为', '活动'], aliasesEn: ['action', 'activity'],
    anchors: ['n00037396', 'n00279835', 'n00283127', 'n07311115', 'n00575741'], weakAnchors: ['n00030358', 'n00407535', 'n07283608', 'n00029378'], ramTags: ['action', 'activity'] },
  // Living things and people
  { id: 'people', en: 'people', zh: '人物', aliasesZh: ['人群', '人们'], aliasesEn: ['humans'],
    anchors: ['n00007846', 'n07942152', 'n08180190', 'n08199025'], weakAnchors: ['n07975026', 'n07950920'], ramTags: ['people'] },
  { id: 'body', en: 'body part', zh: '身体部位', aliasesZh: ['人体部位'], aliasesEn: ['body'],
    anchors: ['n05220461', 'n05217168', 'n05254795', 'n05256862', 'n05225602'], ramTags: ['body part'] },
  { id: 'emotion', en: 'expression and emotion', zh: '表情与情绪', aliasesZh: ['表情', '情绪'], aliasesEn: ['emotion', 'facial expression'],
    anchors: ['n07480068', 'n00026192', 'n06877078', 'n04679738'], ramTags: ['emotion'] },
  { id: 'animal', en: 'animal', zh: '动物', aliasesZh: ['动物类'], aliasesEn: ['fauna', 'creature'],
    anchors: ['n00015388'], ramTags: ['animal', 'fauna'] },
  { id: 'plant', en: 'plant', zh: '植物', aliasesZh: ['植被', '花草'], aliasesEn: ['flora', 'vegetation'],
    anchors: ['n00017222', 'n12992868', 'n13086908', 'n08436759'], ramTags: ['plant', 'vegetation'] },
  // Food and drink
  { id: 'food', en: 'food', zh: '食物', aliasesZh: ['美食', '食品'], aliasesEn: ['dish', 'meal'],
    anchors: ['n00021265', 'n07555863', 'n07566340', 'n03461119', 'n07557434', 'n07573696', 'n07567707', 'n07707451'], ramTags: ['food'] },
  { id: 'drink', en: 'drink', zh: '饮品', aliasesZh: ['饮料', '酒水'], aliasesEn: ['beverage'],
    anchors: ['n07881800', 'n07884567'], ramTags: ['drink', 'beverage'] },
  // Objects
  { id: 'tableware', en: 'tableware and kitchenware', zh: '餐具与厨具', aliasesZh: ['餐具', '厨具', '厨房用具'], aliasesEn: ['tableware', 'kitchenware', 'cookware'],
    anchors: ['n04381994', 'n03621049', 'n03101986', 'n03153375', 'n03133538', 'n03206908'], ramTags: ['tableware', 'kitchenware', 'cookware'] },
  { id: 'electronics', en: 'electronics', zh: '电子产品', aliasesZh: ['电子设备', '数码产品'], aliasesEn: ['electronic device', 'gadget'],
    anchors: ['n03278248', 'n03277771', 'n03082979', 'n04401088', 'n03211117'], ramTags: ['electronics', 'electronic'] },
  { id: 'appliance', en: 'home appliance', zh: '家用电器', aliasesZh: ['家电', '电器'], aliasesEn: ['appliance', 'household appliance'],
    anchors: ['n03528263', 'n02729837'], ramTags: ['appliance', 'home appliance'] },
  { id: 'furniture', en: 'furniture', zh: '家具', aliasesZh: ['家私'], aliasesEn: ['furnishing'],
    anchors: ['n03405725'], ramTags: ['furniture'] },
  { id: 'household', en: 'household item', zh: '家居用品', aliasesZh: ['日用品', '家居装饰'], aliasesEn: ['home goods', 'home decor'],
    anchors: ['n02820210', 'n03169390', 'n03636248', 'n04263760'], weakAnchors: ['n03094503', 'n03122748'], ramTags: ['home decor', 'household'] },
  { id: 'personal-care', en: 'personal care and cosmetics', zh: '美妆个护', aliasesZh: ['化妆品', '个人护理'], aliasesEn: ['cosmetics', 'toiletry'],
    anchors: ['n04447443', 'n03113152', 'n03714235'], ramTags: ['cosmetic', 'cosmetics', 'toiletry'] },
  { id: 'vehicle', en: 'transportation', zh: '交通工具', aliasesZh: ['车辆', '交通'], aliasesEn: ['vehicle', 'transport'],
    anchors: ['n03100490', 'n04524313', 'n03125870'], ramTags: ['vehicle', 'transportation'] },
  { id: 'clothing', en: 'clothing and accessories', zh: '服饰', aliasesZh: ['服装', '衣服', '配饰'], aliasesEn: ['clothing', 'apparel', 'fashion accessory'],
    anchors: ['n03051540', 'n03380867', 'n03381126', 'n03597469', 'n02671780', 'n02774152', 'n03502509'], weakAnchors: [], ramTags: ['clothing', 'apparel', 'garment'] },
  { id: 'sports-equipment', en: 'sports equipment', zh: '运动器材', aliasesZh: ['体育用品', '健身器材'], aliasesEn: ['sporting goods', 'fitness equipment'],
    anchors: ['n04285146', 'n03414162'], ramTags: ['sports equipment'] },
  { id: 'toy', en: 'toy and game', zh: '玩具与游戏', aliasesZh: ['玩具', '游戏'], aliasesEn: ['toy', 'game', 'plaything'],
    anchors: ['n03964744', 'n00430606', 'n03413828', 'n04461879'], ramTags: ['toy', 'game'] },
  { id: 'musical-instrument', en: 'musical instrument', zh: '乐器', aliasesZh: ['乐器类'], aliasesEn: ['instrument'],
    anchors: ['n03800933'], ramTags: ['musical instrument', 'instrument'] },
  { id: 'tool', en: 'tool and equipment', zh: '工具与设备', aliasesZh: ['工具', '设备', '器械'], aliasesEn: ['tool', 'equipment', 'machine', 'device'],
    anchors: ['n04451818', 'n03729951', 'n03667235'], weakAnchors: ['n03183080', 'n03294048', 'n03699975', 'n03574816', 'n03563967'], ramTags: ['tool', 'equipment', 'machine', 'device'] },
  { id: 'medical', en: 'medical and health', zh: '医疗健康', aliasesZh: ['医疗', '医药', '健康'], aliasesEn: ['medicine', 'healthcare'],
    anchors: ['n03739693', 'n03740161', 'n00612160', 'n06043075', 'n14061805', 'n03247620'], ramTags: ['medical', 'medicine', 'health'] },
  { id: 'weapon', en: 'weapon and military', zh: '武器与军事', aliasesZh: ['武器', '军事'], aliasesEn: ['weapon', 'military', 'arms'],
    anchors: ['n04565375', 'n03764276', 'n00952963'], ramTags: ['weapon', 'military'] },
  // Culture and communication
  { id: 'art', en: 'art and entertainment', zh: '艺术与娱乐', aliasesZh: ['艺术', '娱乐', '艺术品'], aliasesEn: ['art', 'artwork', 'entertainment'],
    anchors: ['n04601690', 'n02743547', 'n00933420', 'n06998748', 'n06613686', 'n07020895', 'n00543233', 'n03876519', 'n00936620'], ramTags: ['art', 'artwork', 'entertainment'] },
  { id: 'document', en: 'document and text', zh: '文档与文字', aliasesZh: ['文档', '文字', '文本'], aliasesEn: ['document', 'text', 'writing'],
    anchors: ['n06349220', 'n03217458', 'n06589574', 'n06470073', 'n06387980'], ramTags: ['document', 'text'] },
  { id: 'symbol', en: 'sign and symbol', zh: '标志与符号', aliasesZh: ['标志', '符号', '标识'], aliasesEn: ['sign', 'symbol', 'logo'],
    anchors: ['n06806469', 'n03354903', 'n03282591', 'n06791372', 'n06793231', 'n06875094'], ramTags: ['sign', 'symbol', 'logo'] },
  // Visual attributes
  { id: 'color', en: 'color', zh: '颜色', aliasesZh: ['色彩', '视觉属性'], aliasesEn: ['colour', 'visual attribute'],
    anchors: ['n04956594', 'n04950126', 'n04674968'], ramTags: ['color', 'colour'] },
  { id: 'style', en: 'style and aesthetics', zh: '风格与美学', aliasesZh: ['风格', '美学', '画风'], aliasesEn: ['style', 'aesthetics'],
    anchors: ['n04928903', 'n07066659'], ramTags: ['style'] },
  { id: 'material', en: 'material and texture', zh: '材质与纹理', aliasesZh: ['材质', '材料', '纹理'], aliasesEn: ['material', 'texture'],
    anchors: ['n14580897', 'n03309808', 'n14786479', 'n04934220', 'n04950537', 'n03178782'], weakAnchors: ['n00020827'], ramTags: ['material', 'texture', 'pattern'] },
  { id: 'other', en: 'other', zh: '其他', aliasesZh: ['其它'], aliasesEn: ['miscellaneous'],
    anchors: [] },
];

/** Catch-all for tags no rule places. */
export const FALLBACK_CATEGORY = 'other';
