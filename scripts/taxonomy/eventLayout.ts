import type { LabelLevel, TaxonomyLabel } from '../../src/taxonomy/labelTypes';

// IMM sorts labels into scenes, objects and events. Events get a level-1 category of their own,
// with level-2 groups: the event-like categories the build places RAM tags into (celebration,
// performance, sport, business and production events) move under it, beside new groups for
// holidays and gatherings; event labels the sources lack (a soccer match is "football match" in
// RAM, gymnastics and motor racing are missing) are added here with both languages. Levels stop at
// 3: what sat two levels below a moved category now sits directly under its group.

const EVENT = {
  id: 'event',
  en: 'event',
  zhHans: '活动与事件',
  aliasesEn: ['events', 'occasion', 'happening'],
  aliasesZhHans: ['活动', '事件', '赛事'],
};

/** Level-1 categories of the build that are kinds of event, moved to level 2. */
const MOVED_CATEGORIES = ['celebration', 'performance', 'sport', 'business-event', 'production-event'];

interface NewLabel {
  id: string;
  en: string;
  zhHans: string;
  aliasesEn?: string[];
  aliasesZhHans?: string[];
}

const NEW_GROUPS: NewLabel[] = [
  { id: 'holiday', en: 'holiday', zhHans: '节日', aliasesEn: ['festival day', 'public holiday'], aliasesZhHans: ['节假日'] },
  {
    id: 'social-event',
    en: 'social gathering',
    zhHans: '聚会与集会',
    aliasesEn: ['social event', 'get-together', 'public gathering'],
    aliasesZhHans: ['集会', '聚会'],
  },
];

/** Events the sources lack, and the group each joins. */
const NEW_EVENTS: (NewLabel & { group: string })[] = [
  {
    id: 'american-football-game',
    group: 'sport',
    en: 'American football game',
    zhHans: '美式橄榄球比赛',
    aliasesEn: ['American football', 'gridiron football', 'football game (American)'],
    aliasesZhHans: ['美式足球比赛', '美式足球'],
  },
  {
    id: 'gymnastics-competition',
    group: 'sport',
    en: 'gymnastics competition',
    zhHans: '体操比赛',
    aliasesEn: ['gymnastics', 'artistic gymnastics'],
    aliasesZhHans: ['体操'],
  },
  {
    id: 'ski-race',
    group: 'sport',
    en: 'ski race',
    zhHans: '滑雪比赛',
    aliasesEn: ['skiing', 'alpine skiing', 'downhill skiing', 'ski competition', 'slalom'],
    aliasesZhHans: ['滑雪', '高山滑雪'],
  },
  {
    id: 'swimming-competition',
    group: 'sport',
    en: 'swimming competition',
    zhHans: '游泳比赛',
    aliasesEn: ['swim meet', 'swimming race', 'swimming'],
    aliasesZhHans: ['游泳'],
  },
  {
    id: 'horse-race',
    group: 'sport',
    en: 'horse race',
    zhHans: '赛马',
    aliasesEn: ['horse racing', 'horserace'],
    aliasesZhHans: ['赛马比赛'],
  },
  {
    id: 'volleyball-match',
    group: 'sport',
    en: 'volleyball match',
    zhHans: '排球比赛',
    aliasesEn: ['volleyball game', 'beach volleyball match'],
    aliasesZhHans: ['沙滩排球比赛'],
  },
  {
    id: 'running-race',
    group: 'sport',
    en: 'running race',
    zhHans: '赛跑',
    aliasesEn: ['foot race', 'track race', 'track meet', 'hurdles race', 'track and field'],
    aliasesZhHans: ['跑步比赛', '田径比赛'],
  },
];

/** Existing labels that move to a group (out of where the build put them). */
const PLACEMENTS: Record<string, string> = {
  halloween: 'holiday',
  christmas: 'holiday',
  'new-year': 'holiday',
  easter: 'holiday',
  thanksgiving: 'holiday',
  party: 'social-event',
  parade: 'social-event',
  protest: 'social-event',
  'dinner-party': 'social-event',
  banquet: 'social-event',
  concert: 'performance',
  'tennis-match': 'sport',
  'football-match': 'sport',
  race: 'sport',
  marathon: 'sport',
};

/** Names events go by that the sources do not give them. */
const EVENT_ALIASES: Record<string, { en?: string[]; zhHans?: string[] }> = {
  'football-match': { en: ['soccer match', 'soccer game', 'soccer'], zhHans: ['足球赛'] },
  'baseball-game': { en: ['baseball match'] },
  'basketball-game': { en: ['basketball match'] },
  'ice-hockey': { en: ['ice hockey game', 'hockey match'], zhHans: ['冰球比赛', '冰球'] },
  'tennis-match': { en: ['tennis game', 'tennis tournament'], zhHans: ['网球赛'] },
  halloween: { en: ['Halloween celebration', 'Halloween party'] },
  christmas: { en: ['Christmas celebration', 'Christmas season'] },
  concert: { en: ['music performance', 'live music', 'band concert'], zhHans: ['演唱会'] },
  parade: { en: ['street parade', 'procession', 'carnival parade'], zhHans: ['巡游'] },
  protest: { en: ['demonstration', 'protest march', 'rally'], zhHans: ['示威', '游行示威'] },
  birthday: { en: ['birthday party'], zhHans: ['生日聚会', '生日派对'] },
  motorsport: {
    en: ['motor race', 'motor racing', 'car race', 'auto racing', 'motorcycle race', 'stock car race'],
    zhHans: ['赛车', '赛车比赛', '摩托车赛'],
  },
  'bike-racing': {
    en: ['cycling race', 'bicycle race', 'bike race', 'road race', 'track cycling race'],
    zhHans: ['自行车比赛', '公路自行车赛'],
  },
  boxing: { en: ['boxing match', 'boxing fight', 'prizefight'], zhHans: ['拳击比赛'] },
  golf: { en: ['golf tournament', 'golf match'], zhHans: ['高尔夫比赛'] },
  'dinner-party': { en: ['formal dinner', 'dinner gathering'], zhHans: ['聚餐', '宴会'] },
  banquet: { en: ['formal dinner'], zhHans: ['酒席'] },
};

const unique = (values: string[], name: string) => [...new Set(values)].filter((value) => value.toLowerCase() !== name.toLowerCase());

/** The build's labels with events laid out under one level-1 category. */
export function layOutEvents(labels: TaxonomyLabel[], threshold: number): TaxonomyLabel[] {
  const byId = new Map(labels.map((label) => [label.id, { ...label }]));
  for (const id of [...MOVED_CATEGORIES, ...Object.keys(PLACEMENTS), ...Object.keys(EVENT_ALIASES)]) {
    if (!byId.has(id)) throw new Error(`eventLayout names a label the build does not make: ${id}`);
  }
  for (const added of [...NEW_GROUPS, ...NEW_EVENTS])
    if (byId.has(added.id)) throw new Error(`eventLayout adds ${added.id}, which exists already`);
  // RAM's own "event" tag becomes the category.
  const existing = byId.get(EVENT.id);
  if (!existing) throw new Error('eventLayout expects the build to make an "event" label to promote');
  Object.assign(existing, {
    en: EVENT.en,
    zhHans: EVENT.zhHans,
    level: 1,
    parentId: null,
    aliasesEn: unique([...existing.aliasesEn, ...EVENT.aliasesEn], EVENT.en),
    aliasesZhHans: unique([...existing.aliasesZhHans, existing.zhHans, ...EVENT.aliasesZhHans], EVENT.zhHans),
  });

  const groups = new Set([...MOVED_CATEGORIES, ...NEW_GROUPS.map((g) => g.id)]);
  for (const id of MOVED_CATEGORIES) Object.assign(byId.get(id)!, { level: 2, parentId: EVENT.id });
  const newLabel = (label: NewLabel, level: LabelLevel, parentId: string): TaxonomyLabel => ({
    id: label.id,
    en: label.en,
    zhHans: label.zhHans,
    level,
    parentId,
    aliasesEn: label.aliasesEn ?? [],
    aliasesZhHans: label.aliasesZhHans ?? [],
    threshold,
  });
  for (const group of NEW_GROUPS) byId.set(group.id, newLabel(group, 2, EVENT.id));
  for (const event of NEW_EVENTS) byId.set(event.id, newLabel(event, 3, event.group));
  for (const [id, group] of Object.entries(PLACEMENTS)) Object.assign(byId.get(id)!, { parentId: group });
  for (const [id, names] of Object.entries(EVENT_ALIASES)) {
    const label = byId.get(id)!;
    // RAM's per-tag threshold describes RAM's model; these events are concluded from scene and
    // object evidence (data/taxonomy/inference-rules.json), whose confidences are set on our own photos.
    label.threshold = threshold;
    label.aliasesEn = unique([...label.aliasesEn, ...(names.en ?? [])], label.en);
    label.aliasesZhHans = unique([...label.aliasesZhHans, ...(names.zhHans ?? [])], label.zhHans);
  }

  // Everything below a group is level 3; deeper labels join their group directly.
  const groupOf = (label: TaxonomyLabel): string | null => {
    for (let parent = label.parentId; parent !== null; parent = byId.get(parent)!.parentId) if (groups.has(parent)) return parent;
    return null;
  };
  for (const label of byId.values()) {
    if (label.level === 1 || groups.has(label.id)) continue;
    const group = groupOf(label);
    if (group !== null)
      Object.assign(label, { level: 3, parentId: label.parentId !== null && groups.has(label.parentId) ? label.parentId : group });
  }

  // Categories first (the event category last of them), then by id, as the build lists labels.
  const categories = [...byId.values()].filter((label) => label.level === 1 && label.id !== EVENT.id);
  const rest = [...byId.values()].filter((label) => label.level !== 1).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return [...categories, byId.get(EVENT.id)!, ...rest];
}
