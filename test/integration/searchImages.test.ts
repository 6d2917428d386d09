import { loadConfig } from '../../src/config/env';
import { ImageRepository } from '../../src/persistence/imageRepository';
import { createPgPool, createPrismaClient } from '../../src/persistence/prismaClient';
import { createSearchClient } from '../../src/search/elasticsearchClient';
import { imageAlias } from '../../src/search/imageIndex';
import { searchImages } from '../../src/search/imageSearch';
import { reindexImages } from '../../src/search/reindex';
import { loadTaxonomy } from '../../src/taxonomy/taxonomy';
import { GraphQLResult, startTestServer, TestServer, uniqueName } from '../support/testServer';

// A known dataset written through the service's own write path (the repository detectImageLabels
// uses, then the outbox relay), searched through GraphQL on the real Elasticsearch.
const taxonomy = loadTaxonomy();
const config = loadConfig();
const pool = createPgPool(config.DATABASE_URL);
const prisma = createPrismaClient(pool);
const images = new ImageRepository(prisma, pool);
const search = createSearchClient(config.ELASTICSEARCH_URL);
const stores = { prisma, search, databaseUrl: config.DATABASE_URL };
const project = uniqueName('search');
let server: TestServer;
const ids: Record<string, string> = {};

const SEARCH = `query($p: String!, $filter: SearchImagesFilter, $text: String, $sort: SearchSort, $first: Int, $after: String, $language: LabelLanguage) {
  searchImages(projectName: $p, filter: $filter, text: $text, sort: $sort, first: $first, after: $after, language: $language) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id sourceURI }
    facets { exact labels { labelId name count } parents { labelId count } categories { labelId name count } levels { level count } } } }`;

/** Stores an image with these labels and their ancestors, as detection stores them. */
async function store(name: string, labels: Record<string, number>) {
  const rows = new Map<string, { labelId: string; confidence: number; centricScore: number }>();
  for (const [labelId, confidence] of Object.entries(labels)) {
    for (const id of [labelId, ...taxonomy.ancestors(labelId).map((a) => a.id)]) {
      const seen = rows.get(id);
      if (!seen || seen.confidence < confidence) rows.set(id, { labelId: id, confidence, centricScore: confidence / 2 });
    }
  }
  ids[name] = (await saveIn(project, name, [...rows.values()])).id;
}

/** Runs body with a project of its own (named from prefix), deleted afterwards however body ends. */
async function inOwnProject(prefix: string, body: (name: string) => Promise<void>) {
  const name = uniqueName(prefix);
  await server.gql('mutation($n: String!) { createProject(input: { name: $n }) { name } }', { n: name });
  try {
    await body(name);
  } finally {
    await server.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: name });
  }
}

/** Stores an image with exactly these label rows in a project, as detection stores them. */
async function saveIn(projectName: string, name: string, labels: { labelId: string; confidence: number; centricScore: number }[]) {
  return images.saveDetection({
    project: await prisma.project.findUniqueOrThrow({ where: { name: projectName } }),
    sourceUri: `file:///dataset/${name}.jpg`,
    requestId: `REQ-${name}`,
    image: { sha256: 'b'.repeat(64), width: 100, height: 100, format: 'jpeg', bytes: 1000 },
    labels,
    modelVersion: 'dataset@1',
    taxonomyVersion: taxonomy.version,
    timings: { decodeMs: 1, inferenceMs: 1, totalMs: 2 },
  });
}

const run = async (variables: Record<string, unknown>): Promise<GraphQLResult> => server.gql(SEARCH, { p: project, ...variables });
const names = (result: GraphQLResult) =>
  result.body.data!.searchImages.nodes.map((n: { sourceURI: string }) => n.sourceURI.replace(/^file:\/\/\/dataset\/|\.jpg$/g, ''));
const sorted = (values: string[]) => [...values].sort();

beforeAll(async () => {
  // Facets of more than 4 matches (all 5 images) are counted on a sample of 2; 3 or fewer exactly.
  server = await startTestServer({ SEARCH_FACET_SAMPLE_SIZE: '2' });
  server.relay.kick();
  await server.gql('mutation($n: String!) { createProject(input: { name: $n }) { name } }', { n: project });
  await store('cat1', { cat: 0.9 });
  await store('dog1', { dog: 0.8 });
  await store('catdog', { cat: 0.6, dog: 0.7 });
  await store('car1', { car: 0.95 });
  await store('cup1', { cup: 0.5 });
  await indexed(Object.values(ids));
});

/** Waits until the relay has indexed these images. */
async function indexed(imageIds: string[]) {
  server.relay.kick();
  const alias = imageAlias(config.ES_INDEX_PREFIX);
  for (let i = 0; i < 100; i += 1) {
    await search.indices.refresh({ index: alias });
    const { count } = await search.count({ index: alias, query: { terms: { imageId: imageIds } } });
    if (count === imageIds.length) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the relay did not index the images');
}

afterAll(async () => {
  await server.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: project });
  await server.close();
  await Promise.all([prisma.$disconnect(), search.close()]);
  await pool.end();
});

describe('searchImages', () => {
  it('AND, OR and NOT over labels', async () => {
    expect(sorted(names(await run({ filter: { allOf: ['cat'] } })))).toEqual(['cat1', 'catdog']);
    expect(names(await run({ filter: { allOf: ['cat', 'dog'] } }))).toEqual(['catdog']);
    expect(sorted(names(await run({ filter: { anyOf: ['cat', 'car'] } })))).toEqual(['car1', 'cat1', 'catdog']);
    expect(sorted(names(await run({ filter: { noneOf: ['animal'] } })))).toEqual(['car1', 'cup1']);
    expect(sorted(names(await run({ filter: { anyOf: ['cat', 'dog'], noneOf: ['cat'] } })))).toEqual(['dog1']);
  });

  it('a parent finds its descendants, named in Chinese, in English or by an alias', async () => {
    expect(sorted(names(await run({ filter: { allOf: ['动物'] } })))).toEqual(['cat1', 'catdog', 'dog1']);
    expect(sorted(names(await run({ filter: { allOf: ['fauna'] } })))).toEqual(['cat1', 'catdog', 'dog1']);
    expect(sorted(names(await run({ filter: { allOf: ['狗狗'] } })))).toEqual(['catdog', 'dog1']);
    expect(names(await run({ filter: { allOf: ['automobile'] } }))).toEqual(['car1']);
  });

  it('matches free text against names and aliases, Chinese included', async () => {
    expect(sorted(names(await run({ text: '猫' })))).toEqual(['cat1', 'catdog']);
    expect(names(await run({ text: '小汽车' }))).toEqual(['car1']);
    expect(names(await run({ text: '汽车' }))).toEqual(['car1']);
    expect(names(await run({ text: '车汽' }))).toEqual([]);
    expect(names(await run({ text: 'automobile' }))).toEqual(['car1']);
    expect(names(await run({ text: 'automobil' }))).toEqual(['car1']);
    expect(sorted(names(await run({ text: 'Dog' })))).toEqual(['catdog', 'dog1']);
    expect(names(await run({ text: '狗', filter: { noneOf: ['cat'] } }))).toEqual(['dog1']);
    expect(names(await run({ text: 'motor vehicle', sort: 'RELEVANCE' }))).toEqual(['car1']);
    // A whole name, not what a typo away names: "cat" is not car1's car.
    expect(sorted(names(await run({ text: 'cat' })))).toEqual(['cat1', 'catdog']);
    expect(sorted(names(await run({ text: 'ｄｏｇ' })))).toEqual(['catdog', 'dog1']);
    // Words no label names together: images with both, ranked or not.
    for (const text of ['cat dog', '猫 狗', '猫，狗']) {
      expect(names(await run({ text }))).toEqual(['catdog']);
      expect(names(await run({ text, sort: 'RELEVANCE' }))).toEqual(['catdog']);
    }
    expect(names(await run({ text: 'cat xqzv' }))).toEqual([]);
    expect(names(await run({ text: 'the cat and the dog' }))).toEqual(['catdog']);
  });

  it('finds the same images whether the labels rank them (nested) or only filter them (the flat labelIds field)', async () => {
    for (const filter of [
      { allOf: ['animal'] },
      { anyOf: ['cat', 'car'] },
      { allOf: ['animal'], noneOf: ['dog'] },
      { noneOf: ['animal'] },
    ]) {
      const filtered = sorted(names(await run({ filter })));
      expect(filtered.length).toBeGreaterThan(0);
      expect(sorted(names(await run({ filter, sort: 'RELEVANCE' })))).toEqual(filtered);
    }
    for (const text of ['animal', '猫', 'vehicle']) {
      const filtered = sorted(names(await run({ text })));
      expect(filtered.length).toBeGreaterThan(0);
      expect(sorted(names(await run({ text, sort: 'RELEVANCE' })))).toEqual(filtered);
    }
  });

  it('matches free text below the labels it names, as the filters do, ranked or not', async () => {
    // An image labelled dog alone, without the animal row detection would add above it.
    await inOwnProject('search-partial', async (partial) => {
      const image = await saveIn(partial, 'dog-only', [{ labelId: 'dog', confidence: 0.8, centricScore: 0.4 }]);
      await indexed([image.id]);
      const search = async (variables: Record<string, unknown>) =>
        (await server.gql(SEARCH, { p: partial, text: 'animal', ...variables })).body.data!.searchImages.nodes.map(
          (n: { id: string }) => n.id,
        );
      expect(await search({})).toEqual([image.id]);
      expect(await search({ sort: 'RELEVANCE' })).toEqual([image.id]);
      expect(await search({ filter: { includeDescendants: false } })).toEqual([]);
      expect(await search({ filter: { includeDescendants: false }, sort: 'RELEVANCE' })).toEqual([]);
      // The dog's score is the animal category's, without an animal row.
      const second = await saveIn(partial, 'cat-only', [{ labelId: 'cat', confidence: 0.9, centricScore: 0.3 }]);
      await indexed([second.id]);
      const byScore = async (sort: string) =>
        (await server.gql(SEARCH, { p: partial, filter: { allOf: ['animal'] }, sort })).body.data!.searchImages.nodes.map(
          (n: { id: string }) => n.id,
        );
      expect(await byScore('CONFIDENCE')).toEqual([second.id, image.id]);
      expect(await byScore('CENTRIC_SCORE')).toEqual([image.id, second.id]);
    });
  });

  it('bounds confidence and levels', async () => {
    expect(names(await run({ filter: { allOf: ['cat'], minConfidence: 0.85 } }))).toEqual(['cat1']);
    expect(sorted(names(await run({ filter: { minConfidence: 0.9 } })))).toEqual(['car1', 'cat1']);
    expect(names(await run({ filter: { allOf: ['cup'], levels: [3] } }))).toEqual([]);
  });

  it('counts facets per image, honouring the filter', async () => {
    const { facets, totalCount } = (await run({ filter: { allOf: ['animal'] }, language: 'EN' })).body.data!.searchImages;
    expect(totalCount).toBe(3);
    const count = (list: { labelId: string; count: number }[], id: string) => list.find((f) => f.labelId === id)?.count;
    expect(count(facets.labels, 'animal')).toBe(3);
    expect(count(facets.labels, 'cat')).toBe(2);
    expect(count(facets.labels, 'dog')).toBe(2);
    expect(count(facets.labels, 'car')).toBeUndefined();
    expect(facets.categories).toEqual([{ labelId: 'animal', name: 'animal', count: 3 }]);
    expect(count(facets.parents, 'animal')).toBe(3);
    expect(facets.levels).toEqual(
      expect.arrayContaining([
        { level: 1, count: 3 },
        { level: 2, count: 3 },
      ]),
    );
  });

  it('counts the facets of a broad search on a seeded sample, the same on every page, and every match on request', async () => {
    const page1 = (await run({ first: 2 })).body.data!.searchImages;
    expect(page1.totalCount).toBe(5);
    expect(page1.facets.exact).toBe(false);
    for (const facet of page1.facets.labels) expect(facet.count).toBeLessThanOrEqual(5);
    const next = (await run({ first: 2, after: page1.pageInfo.endCursor })).body.data!.searchImages;
    expect(next.facets).toEqual(page1.facets);

    const exact = await server.gql(
      `query($p: String!) { searchImages(projectName: $p, exactFacets: true, language: EN) { totalCount facets { exact categories { labelId count } } } }`,
      { p: project },
    );
    const { facets } = exact.body.data!.searchImages;
    expect(facets.exact).toBe(true);
    expect(facets.categories).toEqual(
      expect.arrayContaining([
        { labelId: 'animal', count: 3 },
        { labelId: 'vehicle', count: 1 },
        { labelId: 'tableware', count: 1 },
      ]),
    );
    expect((await run({ filter: { allOf: ['animal'] } })).body.data!.searchImages.facets.exact).toBe(true);
  });

  it('counts facets and the total only for a query that reads them, fragments included', async () => {
    const full = (await run({ filter: { allOf: ['animal'] }, first: 2 })).body.data!.searchImages;
    const lean = await server.gql(
      `query($p: String!) { searchImages(projectName: $p, filter: { allOf: ["animal"] }, first: 2) { pageInfo { hasNextPage endCursor } nodes { id sourceURI } } }`,
      { p: project },
    );
    expect(lean.body.errors).toBeUndefined();
    expect(lean.body.data!.searchImages).toEqual({ pageInfo: full.pageInfo, nodes: full.nodes });
    const totalOnly = await server.gql(
      `query($p: String!) { searchImages(projectName: $p, filter: { allOf: ["animal"] }, first: 2) { totalCount nodes { id sourceURI } } }`,
      {
        p: project,
      },
    );
    expect(totalOnly.body.data!.searchImages).toEqual({ totalCount: 3, nodes: full.nodes });
    const viaFragment = await server.gql(
      `query($p: String!) { searchImages(projectName: $p, filter: { allOf: ["animal"] }) { ...Counts } }
       fragment Counts on SearchImagesResult { totalCount ... on SearchImagesResult { facets { labels { labelId count } } } }`,
      { p: project },
    );
    expect(viaFragment.body.data!.searchImages.totalCount).toBe(3);
    expect(viaFragment.body.data!.searchImages.facets.labels).toEqual(expect.arrayContaining([{ labelId: 'animal', count: 3 }]));
  });

  it('pages through every match once, newest first, and sorts by confidence', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Record<string, any> = (await run({ first: 2, after })).body.data!.searchImages;
      expect(page.totalCount).toBe(5);
      seen.push(...page.nodes.map((n: { id: string }) => n.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(['cup1', 'car1', 'catdog', 'dog1', 'cat1'].map((n) => ids[n]));

    expect(names(await run({ filter: { anyOf: ['cat', 'dog'] }, sort: 'CONFIDENCE' }))).toEqual(['cat1', 'dog1', 'catdog']);
    // Within a category: its flat per-category scores, the same order as the labels nested (two named labels).
    for (const sort of ['CONFIDENCE', 'CENTRIC_SCORE']) {
      expect(names(await run({ filter: { allOf: ['animal'] }, sort }))).toEqual(['cat1', 'dog1', 'catdog']);
      expect(names(await run({ filter: { allOf: ['animal'], anyOf: ['animal'] }, sort }))).toEqual(['cat1', 'dog1', 'catdog']);
    }
  });

  it('returns each image as image(id) reads it from Postgres: every field, the labels in the same order', async () => {
    const fields = `id projectName sourceURI sha256 width height format bytes modelVersion taxonomyVersion detectedAt createdAt
      labels(language: EN) { labelId labelName labelLevel labelConfidence parentLabelId parentLabelName centricScore labelAlias }`;
    const found = await server.gql(
      `query($p: String!) { searchImages(projectName: $p, filter: { allOf: ["animal"] }) { nodes { ${fields} } } }`,
      { p: project },
    );
    const nodes: { id: string }[] = found.body.data!.searchImages.nodes;
    expect(nodes.map((node) => node.id).sort()).toEqual(['cat1', 'dog1', 'catdog'].map((name) => ids[name]).sort());
    for (const node of nodes) {
      const read = await server.gql(`query($id: ID!) { image(id: $id) { ${fields} } }`, { id: node.id });
      expect(node).toEqual(read.body.data!.image);
    }
  });

  it('ranks by the labels alone: RELEVANCE cursors do not move when other images are indexed', async () => {
    const cursors = async () => {
      const pages = [];
      for (const variables of [
        { text: 'animal' },
        { filter: { allOf: ['animal'] } },
        { filter: { anyOf: ['cat', 'dog'], minConfidence: 0.5 } },
      ]) {
        const page = (await run({ ...variables, sort: 'RELEVANCE', first: 1 })).body.data!.searchImages;
        pages.push(page.pageInfo.endCursor);
      }
      return pages;
    };
    const before = await cursors();
    // Writes elsewhere change the index's term statistics, which a scoring term query would add in.
    await inOwnProject('search-elsewhere-rank', async (elsewhere) => {
      const added = await Promise.all(
        ['a', 'b', 'c'].map((name) =>
          saveIn(elsewhere, name, [
            { labelId: 'animal', confidence: 0.5, centricScore: 0.5 },
            { labelId: 'cat', confidence: 0.5, centricScore: 0.5 },
          ]),
        ),
      );
      await indexed(added.map((image) => image.id));
      expect(await cursors()).toEqual(before);
    });
  });

  it('finds every label a filter name stands for when several labels share it (飞行员: airman and pilot)', async () => {
    await inOwnProject('search-crew', async (crew) => {
      const row = (labelId: string) => ({ labelId, confidence: 0.8, centricScore: 0.5 });
      const airman = await saveIn(crew, 'airman', [row('person'), row('airman')]);
      const pilot = await saveIn(crew, 'pilot', [row('person'), row('pilot')]);
      const other = await saveIn(crew, 'other', [row('person')]);
      await indexed([airman.id, pilot.id, other.id]);
      const found = async (filter: Record<string, unknown>) =>
        ((await server.gql(SEARCH, { p: crew, filter })).body.data!.searchImages.nodes as { id: string }[]).map((n) => n.id).sort();
      expect(await found({ allOf: ['飞行员'] })).toEqual([airman.id, pilot.id].sort());
      expect(await found({ anyOf: ['飞行员'] })).toEqual([airman.id, pilot.id].sort());
      expect(await found({ noneOf: ['飞行员'] })).toEqual([other.id]);
      // By id, one label.
      expect(await found({ allOf: ['pilot'] })).toEqual([pilot.id]);
      expect(await found({ allOf: ['飞行员', 'person'] })).toEqual([airman.id, pilot.id].sort());
    });
  });

  it("holds text's labels, like the filters' labels, to the bounds, and sorts by them", async () => {
    await inOwnProject('search-bounded', async (bounded) => {
      // Each image's best label is not the one searched for: a bound or a sort on "any label" would tell.
      const row = (labelId: string, confidence: number) => ({ labelId, confidence, centricScore: confidence });
      const catty = await saveIn(bounded, 'catty', [row('animal', 0.9), row('cat', 0.9), row('dog', 0.3), row('tabby', 0.2)]);
      const doggy = await saveIn(bounded, 'doggy', [row('animal', 0.95), row('cat', 0.5), row('dog', 0.95), row('tabby', 0.4)]);
      await indexed([catty.id, doggy.id]);
      const found = async (variables: Record<string, unknown>) => {
        const result = await server.gql(SEARCH, { p: bounded, ...variables });
        expect(result.body.errors).toBeUndefined();
        return result.body.data!.searchImages.nodes.map((n: { id: string }) => n.id);
      };
      // minConfidence holds for the cat itself: doggy's cat is 0.5, though its dog is 0.95.
      expect(await found({ text: 'cat', filter: { minConfidence: 0.6 } })).toEqual([catty.id]);
      expect(await found({ text: 'cat', filter: { minConfidence: 0.6 }, sort: 'RELEVANCE' })).toEqual([catty.id]);
      expect(await found({ text: 'cat', filter: { minCentricScore: 0.6 } })).toEqual([catty.id]);
      // levels: a level-3 label at or below the cat; both have a tabby.
      expect((await found({ text: 'cat', filter: { levels: [3] } })).sort()).toEqual([catty.id, doggy.id].sort());
      expect(await found({ text: 'dog', filter: { levels: [3] } })).toEqual([]);
      // Sorted by the cat's confidence (0.9 before 0.5), not the image's best label (0.95 before 0.9).
      for (const sort of ['CONFIDENCE', 'CENTRIC_SCORE']) {
        expect(await found({ text: 'cat', sort })).toEqual([catty.id, doggy.id]);
        // Within the levels asked for: the tabbies (0.4 before 0.2), not the animals or cats.
        expect(await found({ filter: { allOf: ['animal'], levels: [3] }, sort })).toEqual([doggy.id, catty.id]);
        expect(await found({ filter: { allOf: ['animal'], levels: [2] }, sort })).toEqual([doggy.id, catty.id]);
        expect(await found({ filter: { allOf: ['animal'], minConfidence: 0.9, levels: [2] }, sort })).toEqual([doggy.id, catty.id]);
      }
    });
  });

  it('returns an image without labels (no label passed the threshold) with an empty list', async () => {
    await inOwnProject('search-bare', async (bare) => {
      const image = await saveIn(bare, 'blank', []);
      await indexed([image.id]);
      const found = await server.gql(
        'query($p: String!) { searchImages(projectName: $p) { totalCount nodes { id labels { labelId } } } }',
        { p: bare },
      );
      expect(found.body.errors).toBeUndefined();
      expect(found.body.data!.searchImages).toEqual({ totalCount: 1, nodes: [{ id: image.id, labels: [] }] });
      // Sorted by a label score, it comes last, and its cursor (no score: "-Infinity") pages on.
      const labelled = await saveIn(bare, 'labelled', [{ labelId: 'cat', confidence: 0.9, centricScore: 0.5 }]);
      await indexed([labelled.id]);
      for (const sort of ['CONFIDENCE', 'CENTRIC_SCORE']) {
        const pageOf = async (after: string | null) =>
          (
            await server.gql(
              'query($p: String!, $s: SearchSort, $a: String) { searchImages(projectName: $p, sort: $s, first: 1, after: $a) { nodes { id } pageInfo { endCursor } } }',
              { p: bare, s: sort, a: after },
            )
          ).body;
        const first = await pageOf(null);
        const second = await pageOf(first.data!.searchImages.pageInfo.endCursor);
        const third = await pageOf(second.data!.searchImages.pageInfo.endCursor);
        expect(
          [first, second, third].map((page) => page.errors?.[0].message ?? page.data!.searchImages.nodes.map((n: { id: string }) => n.id)),
        ).toEqual([[labelled.id], [image.id], []]);
      }
    });
  });

  it('shows nothing of a project deleted, or deleted and created again, elsewhere while this gateway still had it cached', async () => {
    const elsewhere = uniqueName('search-elsewhere');
    const count = async () => {
      const result = await server.gql('query($p: String!) { searchImages(projectName: $p) { totalCount nodes { id } } }', { p: elsewhere });
      return result.body.errors?.[0].extensions.code ?? result.body.data!.searchImages.totalCount;
    };
    await server.gql('mutation($n: String!) { createProject(input: { name: $n }) { name } }', { n: elsewhere });
    const image = await saveIn(elsewhere, 'elsewhere', [{ labelId: 'cat', confidence: 0.9, centricScore: 0.5 }]);
    try {
      await indexed([image.id]);
      expect(await count()).toBe(1); // the gateway now has the project cached
      // As another gateway would, straight in Postgres: no outbox event, so the document stays indexed.
      await prisma.project.delete({ where: { name: elsewhere } });
      expect(await count()).toBe('ResourceNotFound');
      await prisma.project.create({ data: { name: elsewhere, defaultThreshold: 0.5 } });
      expect(await count()).toBe(0);
    } finally {
      await prisma.project.deleteMany({ where: { name: elsewhere } });
      await search.delete({ index: imageAlias(config.ES_INDEX_PREFIX), id: image.id, refresh: true }, { ignore: [404] });
    }
  });

  it('sees a project this gateway creates or deletes at once', async () => {
    const other = uniqueName('search-other');
    const count = async () => {
      const result = await server.gql('query($p: String!) { searchImages(projectName: $p) { totalCount } }', { p: other });
      return result.body.errors?.[0].extensions.code ?? result.body.data!.searchImages.totalCount;
    };
    expect(await count()).toBe('ResourceNotFound');
    await server.gql('mutation($n: String!) { createProject(input: { name: $n }) { name } }', { n: other });
    expect(await count()).toBe(0);
    await server.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: other });
    expect(await count()).toBe('ResourceNotFound');
  });

  it('refuses a cursor of another sort, or one with values of the wrong kind, as InvalidArgument', async () => {
    const page = (await run({ first: 1, sort: 'CONFIDENCE' })).body.data!.searchImages;
    const cursor = page.pageInfo.endCursor as string;
    expect((await run({ first: 1, sort: 'CONFIDENCE', after: cursor })).body.errors).toBeUndefined();
    // A CONFIDENCE cursor has as many values as a RELEVANCE or CENTRIC_SCORE one: it names its sort.
    for (const sort of ['RELEVANCE', 'CENTRIC_SCORE', 'CREATED_AT']) {
      const refused = await run({ first: 1, sort, after: cursor });
      expect({ sort, code: refused.body.errors?.[0].extensions.code }).toEqual({ sort, code: 'InvalidArgument' });
      expect(refused.body.errors![0].extensions.field).toBe('after');
    }
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const forgeries: [string, unknown][] = [
      ['CREATED_AT', ['x', 'y']],
      ['CONFIDENCE', { sort: 'CONFIDENCE', after: ['0.9', 1, 'id'] }],
      ['CREATED_AT', { sort: 'CREATED_AT', after: [1, 2] }],
    ];
    for (const [sort, value] of forgeries) {
      expect((await run({ first: 1, sort, after: forged(value) })).body.errors?.[0].extensions.code).toBe('InvalidArgument');
    }
  });

  it.each([
    [{ filter: { allOf: ['no-such-label-x'] } }, 'InvalidArgument'],
    [{ after: 'not-a-cursor' }, 'InvalidArgument'],
    [{ filter: { levels: [4] } }, 'InvalidArgument'],
    [{ filter: { minConfidence: 2 } }, 'InvalidArgument'],
    [{ first: 500 }, 'InvalidArgument'],
    [{ p: 'no-such-project-x' }, 'ResourceNotFound'],
  ])('%j → %s', async (variables, code) => {
    expect((await run(variables)).body.errors![0].extensions.code).toBe(code);
  });
});

describe('labelStats', () => {
  it("counts a project's images per label as a tree", async () => {
    const query = `query($p: String!) { labelStats(projectName: $p, language: EN) {
      label { id name } count children { label { id } count children { label { id } count } } } }`;
    const roots = (await server.gql(query, { p: project })).body.data!.labelStats;
    const animal = roots.find((r: { label: { id: string } }) => r.label.id === 'animal');
    expect(animal).toMatchObject({ label: { name: 'animal' }, count: 3 });
    expect(animal.children).toEqual([
      { label: { id: 'cat' }, count: 2, children: [] },
      { label: { id: 'dog' }, count: 2, children: [] },
    ]);
    const carPath = taxonomy
      .ancestors('car')
      .map((a) => a.id)
      .reverse();
    const vehicles = roots.find((r: { label: { id: string } }) => r.label.id === carPath[0]);
    expect(vehicles.count).toBe(1);
    expect(vehicles.children[0]).toMatchObject({ label: { id: carPath[1] }, count: 1, children: [{ label: { id: 'car' }, count: 1 }] });
    expect(roots.reduce((sum: number, r: { count: number }) => sum + r.count, 0)).toBe(5);
  });
});

describe('suggestLabels', () => {
  const SUGGEST = `query($prefix: String!, $language: LabelLanguage, $limit: Int) { suggestLabels(prefix: $prefix, language: $language, limit: $limit) {
    matched matchedLanguage label { id name level path { id } } } }`;
  const suggest = async (variables: Record<string, unknown>) => (await server.gql(SUGGEST, variables)).body.data!.suggestLabels;

  it('puts an exact name first, with its taxonomy path, in the requested language', async () => {
    const [first] = await suggest({ prefix: '猫', language: 'EN' });
    expect(first).toMatchObject({ matched: '猫', matchedLanguage: 'ZH_HANS', label: { id: 'cat', name: 'cat', path: [{ id: 'animal' }] } });
    const [dog] = await suggest({ prefix: 'Dog' });
    expect(dog.label).toMatchObject({ id: 'dog', name: '狗' });
  });

  it('completes prefixes in English and finds aliases in Chinese', async () => {
    const ids = (await suggest({ prefix: 'ca', limit: 50 })).map((s: { label: { id: string } }) => s.label.id);
    expect(ids).toEqual(expect.arrayContaining(['cat', 'car']));
    const [viaAlias] = await suggest({ prefix: '狗狗' });
    expect(viaAlias).toMatchObject({ matched: '狗狗', label: { id: 'dog' } });
    // A label id's prefix completes its name; full-width letters are the ordinary ones.
    expect((await suggest({ prefix: 'hot-d' })).map((s: { label: { id: string } }) => s.label.id)).toContain('hot-dog');
    expect((await suggest({ prefix: 'ｄｏｇ' }))[0].label.id).toBe('dog');
  });

  it('honours the limit and ranks names before aliases', async () => {
    const list = await suggest({ prefix: 'c', limit: 5 });
    expect(list).toHaveLength(5);
    const firstAlias = list.findIndex(
      (s: { matched: string; label: { name: string } }) => s.matched.toLowerCase() !== s.label.name.toLowerCase(),
    );
    if (firstAlias >= 0)
      expect(
        list
          .slice(firstAlias)
          .every((s: { matched: string; label: { name: string } }) => s.matched.toLowerCase() !== s.label.name.toLowerCase()),
      ).toBe(true);
  });

  it.each([
    [{ prefix: '  ' }, 'MissingParameter'],
    [{ prefix: 'cat', limit: 0 }, 'InvalidArgument'],
    [{ prefix: 'x'.repeat(101) }, 'InvalidArgument'],
  ])('%j → %s', async (variables, code) => {
    expect((await server.gql(SUGGEST, variables)).body.errors![0].extensions.code).toBe(code);
  });
});

describe('reindex', () => {
  // Into an alias of its own: the other test files keep writing to the run's alias meanwhile.
  const prefix = `${config.ES_INDEX_PREFIX}-reindex`;
  const requests = [{ allOf: [['cat']] }, { anyOf: ['cat', 'car'] }, { noneOf: ['animal'] }, { allOf: [['animal']], minConfidence: 0.75 }];

  async function results(alias: string) {
    const projectId = (await prisma.project.findUniqueOrThrow({ where: { name: project } })).id;
    return Promise.all(
      requests.map((filter) =>
        searchImages(search, alias, {
          projectId,
          filter: { allOf: [], anyOf: [], noneOf: [], includeDescendants: true, ...filter },
          sort: 'CONFIDENCE',
          first: 20,
          facetSize: 20,
          facetSampleSize: 0,
        }).then(({ images, totalCount, facets }) => ({ images, totalCount, facets })),
      ),
    );
  }

  it('rebuilds from Postgres into a new index, swaps the alias, returns identical results, and can run twice', async () => {
    const expected = await results(imageAlias(config.ES_INDEX_PREFIX));
    const progress: number[] = [];
    const first = await reindexImages(stores, prefix, taxonomy, ({ done }) => progress.push(done));
    expect(first.index).toMatch(new RegExp(`^${prefix}-images-v\\d+-g\\d+$`));
    expect(first.documents).toBeGreaterThanOrEqual(5);
    expect(progress.at(-1)).toBe(first.documents);
    expect(await results(imageAlias(prefix))).toEqual(expected);

    const second = await reindexImages(stores, prefix, taxonomy);
    expect(second.previous).toEqual([first.index]);
    expect(Object.keys(await search.indices.getAlias({ name: imageAlias(prefix) }))).toEqual([second.index]);
    expect(await search.indices.exists({ index: first.index })).toBe(false);
    expect(await results(imageAlias(prefix))).toEqual(expected);
    await search.indices.delete({ index: second.index });
  });

  it('refuses a reindex while another is copying, and clears what an interrupted one left', async () => {
    // What a reindex that died mid-copy leaves: a generation no alias points to.
    const stray = `${prefix}-images-v1-g1`;
    await search.indices.create({ index: stray });
    const runs = await Promise.allSettled([0, 1, 2].map(() => reindexImages(stores, prefix, taxonomy)));
    const done = runs.flatMap((run) => (run.status === 'fulfilled' ? [run.value] : []));
    const refused = runs.flatMap((run) => (run.status === 'rejected' ? [run.reason] : []));
    // Which ones overlap depends on timing; at least one did, and every refusal says why.
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const error of refused) expect(error).toMatchObject({ code: 'OperationConflict' });
    const last = done.at(-1)!;
    expect(Object.keys(await search.indices.getAlias({ name: imageAlias(prefix) }))).toEqual([last.index]);
    expect(Object.keys(await search.indices.get({ index: `${prefix}-images-v*` }))).toEqual([last.index]);
    expect(await results(imageAlias(prefix))).toEqual(await results(imageAlias(config.ES_INDEX_PREFIX)));

    // A run that fails mid-copy (here: its taxonomy breaks) deletes what it built; the alias stays.
    const broken = {
      get: taxonomy.get.bind(taxonomy),
      ancestors: () => {
        throw new Error('taxonomy unreadable');
      },
    };
    await expect(reindexImages(stores, prefix, broken)).rejects.toThrow('taxonomy unreadable');
    expect(Object.keys(await search.indices.get({ index: `${prefix}-images-v*` }))).toEqual([last.index]);
    expect(Object.keys(await search.indices.getAlias({ name: imageAlias(prefix) }))).toEqual([last.index]);
    // And its lock went with it: the next run is not refused.
    const after = await reindexImages(stores, prefix, taxonomy);
    expect(Object.keys(await search.indices.get({ index: `${prefix}-images-v*` }))).toEqual([after.index]);
    await search.indices.delete({ index: after.index });
  });
});
