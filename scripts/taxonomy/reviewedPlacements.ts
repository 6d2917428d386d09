// Corrections from a review of taxonomy 1.1.0, label by label. Most come from a word's other sense
// winning in WordNet ("washer" the person, "monitor" the lizard, "chest" the box, where RAM's
// Chinese, 洗衣机, 监控器, 胸部, says which thing the tag means) or from a phrase placed by its last
// word ("onion ring" as jewellery). RAM's Chinese name decides the meaning where the two disagree:
// it is what the model was trained to say. Keys are RAM tags, exactly as in the list.

/** Tags moved to another category, by category. */
export const REVIEWED_CATEGORY_GROUPS: Record<string, string[]> = {
  action: [
    'beat', 'build', 'catch', 'chase', 'clean', 'crush', 'cut', 'drag', 'draw', 'drive', 'flight', 'flip', 'hang', 'help', 'interaction',
    'kiss', 'lay', 'lie', 'lift', 'prayer', 'pull', 'punch', 'push', 'queue', 'read', 'release', 'see', 'shake', 'share', 'squeeze',
    'stir', 'straddle', 'stretch', 'throw', 'walk', 'wash', 'washing'],
  animal: [
    'anemone', 'buffalo', 'cardinal', 'herd', 'nest', 'pig', 'ram', 'shell'],
  appliance: [
    'air conditioner', 'coffee machine', 'heater', 'juicer', 'washer'],
  art: [
    'album cover', 'animation', 'dragon', 'drama', 'drawing', 'palette', 'pop', 'sketch', 'zombie'],
  body: [
    'arm', 'back', 'body', 'braid', 'brain', 'calf', 'chest', 'ear', 'freckle', 'hand', 'iris', 'lap', 'shoulder'],
  building: [
    'bank', 'bleacher', 'chimney', 'estate', 'food stand', 'fruit stand', 'landmark', 'ledge', 'pillar', 'post office', 'rail', 'roof',
    'stair', 'terrace', 'white house', 'window sill'],
  'business-event': [
    'assembly', 'launch event'],
  celebration: [
    'baby shower', 'charity event', 'christmas market', 'easter', 'feast', 'firecracker', 'firework', 'firework display', 'sparkler',
    'thanksgiving'],
  clothing: [
    'bib', 'bicycle helmet', 'brim', 'cardigan', 'clogs', 'cuff', 'earmuff', 'hairnet', 'helmet', 'high heel', 'motorcycle helmet',
    'overcoat', 'pendant', 'safety helmet', 'sleeve', 'sunglasses', 'veil'],
  color: [
    'black', 'blue', 'gray', 'green', 'khaki', 'pink', 'white'],
  disaster: [
    'fire', 'shipwreck'],
  document: [
    'article', 'bill', 'book cover', 'date', 'envelope', 'file', 'flyer', 'folder', 'form', 'gift card', 'license', 'menu', 'notepad',
    'notice', 'poetry', 'pound', 'quote', 'receipt', 'signature', 'stamp'],
  drink: [
    'bubble tea', 'coke', 'juice', 'lemon juice', 'soybean milk', 'tea'],
  electronics: [
    'camera', 'charger', 'computer box', 'computer tower', 'drone', 'earphone', 'laptop keyboard', 'monitor', 'plug',
    'power plugs and sockets', 'printer', 'projector', 'remote', 'router', 'server', 'socket', 'speaker'],
  emotion: [
    'tear'],
  food: [
    'barbecue', 'beef', 'buffet', 'cereal', 'chip', 'cob', 'crumb', 'dairy', 'drumstick', 'frosting', 'fry', 'icing', 'kiwi', 'lamb',
    'olive oil', 'onion ring', 'salt', 'staple', 'topping', 'treat'],
  furniture: [
    'bed frame', 'bookshelf', 'cabinetry', 'coatrack', 'counter top', 'dresser', 'kitchen cabinet', 'kitchen island', 'locker', 'shelf',
    'table top'],
  household: [
    'bathroom accessory', 'broom', 'christmas ball', 'knob', 'photo frame', 'picture frame', 'sheet', 'shoe tree', 'tissue',
    'tobacco pipe', 'toilet paper'],
  'indoor-scene': [
    'canteen', 'home interior'],
  material: [
    'copper', 'enamel', 'glaze', 'marble', 'mortar', 'plywood', 'porcelain', 'powder', 'rust'],
  medical: [
    'cancer', 'capsule', 'emergency service', 'first-aid kit', 'injection', 'medical equipment', 'pain', 'stretcher', 'test tube', 'wound'],
  'musical-instrument': [
    'musical keyboard'],
  'natural-landscape': [
    'crest', 'crevasse', 'gulf', 'mountain landscape', 'peak', 'puddle', 'rock face', 'rock formation', 'swimming hole'],
  other: [
    'array', 'attraction', 'event', 'service', 'thing'],
  'outdoor-scene': [
    'amusement ride', 'car wash', 'carousel', 'coaster', 'curb', 'dock', 'fair', 'farmer market', 'ferris wheel', 'fish market',
    'flower market', 'fruit market', 'night market', 'phone box', 'pitch', 'railroad', 'street market', 'traffic', 'traffic jam',
    'vegetable market', 'water feature', 'well'],
  people: [
    'climber', 'club', 'conductor', 'gang', 'graduate', 'joker', 'lumberjack', 'medical staff', 'miss', 'monarch', 'mr', 'staff',
    'striker'],
  performance: [
    'band', 'choir', 'crosstalk', 'ensemble'],
  'personal-care': [
    'earplug', 'foundation', 'lip balm', 'mouthwash', 'personal care', 'shampoo', 'soap', 'toothpaste'],
  plant: [
    'autumn leave', 'bark', 'bush', 'cypress', 'lush'],
  'production-event': [
    'casting', 'engineering', 'irrigation system'],
  sport: [
    'bowling', 'climb mountain', 'dribble', 'dunk', 'equestrian', 'fitness course', 'karate', 'marathon', 'obstacle course',
    'penalty kick', 'play baseball', 'play basketball', 'play football', 'play volleyball', 'putt', 'rodeo', 'shoot', 'super bowl', 'surf',
    'table tennis', 'tackle', 'tae kwon do', 'tai chi', 'touchdown', 'winter sport', 'wrestle'],
  'sports-equipment': [
    'badminton racket', 'bat', 'battle rope', 'hurdle', 'indoor rower', 'ski equipment', 'snorkel', 'snowshoe', 'sport equipment',
    'table tennis racket', 'tennis net', 'treadmill', 'water ski'],
  style: [
    '3D CG rendering', 'ancient', 'beauty', 'camouflage', 'cartoon style', 'classic', 'clear', 'gothic', 'grid', 'lens flare', 'rear view',
    'rustic', 'symmetry'],
  symbol: [
    'brand', 'circle', 'five', 'heart shape', 'number', 'plaque', 'red flag', 'speech bubble', 'sticker', 'tick'],
  tableware: [
    'baking sheet', 'barbecue grill', 'cork', 'foil', 'funnel', 'glass plate', 'grill', 'kitchen knife', 'martini glass', 'napkin',
    'nutcracker', 'pitcher'],
  tool: [
    'anvil', 'fire hose', 'garden hose', 'hose', 'jack', 'ladder', 'nut', 'office supply', 'pen', 'pipe', 'plier', 'rope', 'rubber stamp',
    'ruler', 'sharpie', 'tube', 'water pipe'],
  toy: [
    'balloon', 'board game', 'building block', 'card game', 'chess', 'die', 'dolly', 'domino', 'game board', 'garage kit', 'mahjong',
    'model car', 'playing card', 'poker', 'poker card', 'poker chip', 'toy car', 'toy gun', 'transformer'],
  vehicle: [
    'brake light', 'bumper', 'cable car', 'car door', 'car seat', 'chassis', 'clipper', 'coach', 'cycle', 'deck', 'excavator', 'fender',
    'golf cart', 'headlight', 'rear light', 'seat belt', 'segway', 'steering wheel', 'subway', 'vespa', 'vessel', 'windshield', 'wiper'],
  weapon: [
    'armor', 'bomb', 'cannon', 'chain mail', 'muzzle', 'shield', 'turret'],
  'weather-and-sky': [
    'cold', 'dawn', 'drop', 'dry', 'eclipse', 'fall', 'frost', 'galaxy', 'icicle', 'morning', 'planet earth', 'snowflake', 'spring',
    'thunder', 'water drop', 'winter morning'],
};

/** Tag → parent tag, both in the same category. */
export const REVIEWED_PARENTS: Record<string, string> = {
  'bike path': 'road',
  conservatory: 'greenhouse (outdoor)',
  'forest path': 'road',
  'mountain path': 'road',
  'path': 'road',
  'roach': 'insect',
};

/** Chinese names where RAM's translate another sense of the word (name first, then aliases). */
export const REVIEWED_ZH: Record<string, string[]> = {
  'anklet': ['脚链'],
  'armadillo': ['犰狳'],
  'baseball base': ['垒包'],
  'bonnet': ['女式软帽'],
  'bow': ['弓'],
  'brass': ['铜管乐器'],
  'broach': ['胸针'],
  'camper': ['房车'],
  'cheerlead': ['啦啦队'],
  'cockpit': ['驾驶舱'],
  'cornmeal': ['玉米粉'],
  'course': ['一道菜'],
  'craft': ['船只与飞行器'],
  'curl': ['卷发'],
  'day bed': ['坐卧两用床'],
  'dip': ['蘸酱'],
  'disco ball': ['迪斯科球'],
  'display': ['显示器'],
  'doormat': ['门垫'],
  'fishing pole': ['钓鱼竿'],
  'fly fishing': ['飞蝇钓'],
  'font': ['字体'],
  'gazebo': ['凉亭'],
  'griddle': ['煎锅'],
  'hamper': ['洗衣篮'],
  'home office': ['家庭办公室'],
  'insulated cup': ['保温杯'],
  'lead': ['铅'],
  'letter logo': ['字母标志'],
  'level': ['水平仪'],
  'life belt': ['救生圈'],
  'lime': ['青柠'],
  'loafer': ['乐福鞋'],
  'loom': ['织布机'],
  'miniskirt': ['迷你裙'],
  'mountain view': ['山景'],
  'neighbourhood': ['街区'],
  'overall': ['背带工装裤'],
  'parking meter': ['停车计时器'],
  'partridge': ['鹧鸪'],
  'petunia': ['矮牵牛'],
  'playhouse': ['儿童游戏屋'],
  'plectrum': ['拨片'],
  'plot': ['地块'],
  'plug hat': ['高顶礼帽'],
  'point': ['地点'],
  'poker table': ['扑克桌'],
  'portal': ['大门'],
  'portfolio': ['作品集'],
  'porthole': ['舷窗'],
  'post': ['柱子'],
  'promenade': ['步行道'],
  'pulse': ['豆类'],
  'rapid': ['急流'],
  'register': ['收银机'],
  'rein': ['缰绳'],
  'relief': ['浮雕'],
  'relish': ['开胃小菜'],
  'retro': ['复古'],
  'robin': ['知更鸟'],
  'roe': ['鱼子'],
  'room divider': ['隔断'],
  'rowan': ['花楸'],
  'ruffle': ['荷叶边'],
  'safe': ['保险箱'],
  'sage': ['鼠尾草'],
  'sake': ['清酒'],
  'samoyed': ['萨摩耶犬'],
  'show': ['节目'],
  'shutter': ['百叶窗'],
  'slide': ['滑梯'],
  'solution': ['溶液'],
  'spread': ['涂抹酱'],
  'summit': ['峰会'],
  'swing': ['秋千'],
  'trailer': ['拖车'],
  'triangle': ['三角铁'],
  'vanity': ['梳妆台'],
  'variety': ['综艺节目'],
};

/** WordNet senses chosen by hand (wnid), as SENSE_OVERRIDES. */
export const REVIEWED_SENSES: Record<string, string> = {
  conservatory: 'n03092166', // 温室: the glasshouse, not the music school
  camera: 'n02942699', // 相机: the photographic camera, not the television camera
};
