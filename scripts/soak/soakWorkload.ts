import { LatencyHistogram } from './latencyHistogram';

/** What the soak sends: one GraphQL request and whether it failed. */
export interface GraphQLCall {
  (query: string, variables: Record<string, unknown>): Promise<{ ok: boolean; error?: string; data?: Record<string, any> }>;
}

/** Requests and failures, for one reporting window and for the whole run. */
export class SoakCounters {
  readonly window = new LatencyHistogram();
  readonly total = new LatencyHistogram();
  windowErrors = 0;
  errors = 0;
  /** Failures by message, at most 20 kinds, so a flood of errors cannot grow memory. */
  readonly errorKinds = new Map<string, number>();

  record(ms: number, error?: string): void {
    this.window.record(ms);
    this.total.record(ms);
    if (error === undefined) return;
    this.windowErrors += 1;
    this.errors += 1;
    const kind = error.slice(0, 200);
    if (this.errorKinds.has(kind) || this.errorKinds.size < 20) this.errorKinds.set(kind, (this.errorKinds.get(kind) ?? 0) + 1);
  }
}

const DETECT =
  'mutation($input: DetectImageLabelsInput!) { detectImageLabels(input: $input) { image { id } labels { labelId labelConfidence } } }';
const SEARCH = `query($p: String!, $text: String, $filter: SearchImagesFilter, $sort: SearchSort, $first: Int, $after: String, $language: LabelLanguage) {
  searchImages(projectName: $p, text: $text, filter: $filter, sort: $sort, first: $first, after: $after, language: $language) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id sourceURI labels(language: EN) { labelName labelConfidence } }
    facets { labels { labelId name count } categories { name count } } } }`;
const IMAGES = `query($p: String!, $first: Int, $after: String) { images(projectName: $p, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } nodes { id sourceURI labels { labelId } } } }`;

// Searches of each kind the API offers: free text in both languages, filters, sorts.
const SEARCHES: Record<string, unknown>[] = [
  { text: 'dog' },
  { text: '猫', language: 'ZH_HANS' },
  { text: 'outdoor', sort: 'RELEVANCE' },
  { text: 'dog horse' },
  { filter: { anyOf: ['animal'] }, sort: 'CONFIDENCE' },
  { filter: { allOf: ['animal'], noneOf: ['person'], minConfidence: 0.5 } },
  { filter: { anyOf: ['food', 'indoor-scene'], includeDescendants: true }, sort: 'CENTRIC_SCORE' },
  {},
];
// Cursor paging walks up to this many pages of this size, one request each.
const PAGE_SIZE = 3;
const MAX_PAGES = 10;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

/**
 * The mixed workload one worker runs: detection on the shared photos (the same URIs again and again,
 * so the stored data stays bounded and memory growth means a leak, not more data), searches, and
 * cursor paging through `images` and `searchImages`.
 */
export class SoakWorkload {
  constructor(
    private readonly call: GraphQLCall,
    private readonly project: string,
    /** file:// URIs of the photos to detect. */
    private readonly photos: string[],
    private readonly counters: SoakCounters,
  ) {}

  private async timed(query: string, variables: Record<string, unknown>) {
    const started = performance.now();
    const result = await this.call(query, variables).catch((error: Error) => ({
      ok: false,
      error: `request failed: ${error.message}`,
      data: undefined,
    }));
    this.counters.record(performance.now() - started, result.ok ? undefined : (result.error ?? 'unknown error'));
    return result;
  }

  detect() {
    return this.timed(DETECT, { input: { projectName: this.project, sourceURI: pick(this.photos), language: pick(['EN', 'ZH_HANS']) } });
  }

  search() {
    return this.timed(SEARCH, { p: this.project, first: 10, ...pick(SEARCHES) });
  }

  /** Pages through a listing by its cursors until the last page (or MAX_PAGES). */
  private async page(query: string, variables: Record<string, unknown>, field: string) {
    let after: string | null = null;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const result = await this.timed(query, { ...variables, first: PAGE_SIZE, after });
      const info = result.data?.[field]?.pageInfo;
      if (!result.ok || !info?.hasNextPage) return;
      after = info.endCursor;
    }
  }

  pageImages() {
    return this.page(IMAGES, { p: this.project }, 'images');
  }

  pageSearch() {
    return this.page(SEARCH, { p: this.project, ...pick(SEARCHES.filter((s) => s.sort !== 'RELEVANCE')) }, 'searchImages');
  }

  /** One step, chosen at random: detection a quarter of the time, searches and paging the rest. */
  step(): Promise<unknown> {
    const roll = Math.random();
    if (roll < 0.25) return this.detect();
    if (roll < 0.6) return this.search();
    if (roll < 0.8) return this.pageImages();
    return this.pageSearch();
  }
}
