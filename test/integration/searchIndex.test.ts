import { createSearchClient } from '../../src/search/elasticsearchClient';
import {
  aliasHasCurrentMapping,
  ensureImageIndex,
  imageAlias,
  imageIndexName,
  MappingCheck,
  MAPPING_VERSION,
  vectorFieldOf,
  vectorKeyOf,
} from '../../src/search/imageIndex';
import { loadConfig } from '../../src/config/env';
import { searchImagePage } from '../../src/search/imageSearch';
import type { Client } from '@elastic/elasticsearch';

describe('the image index in the real Elasticsearch', () => {
  const config = loadConfig();
  const search = createSearchClient(config.ELASTICSEARCH_URL);
  const prefix = `${config.ES_INDEX_PREFIX}-bootstrap`;
  afterAll(async () => {
    await search.indices.delete({ index: imageIndexName(prefix) }, { ignore: [404] });
    await search.close();
  });

  it('is created behind its alias from the versioned mapping, and a second start keeps it', async () => {
    expect(await ensureImageIndex(search, prefix)).toBe(imageAlias(prefix));
    const aliases = await search.indices.getAlias({ name: imageAlias(prefix) });
    expect(Object.keys(aliases)).toEqual([imageIndexName(prefix)]);

    await search.index({
      index: imageAlias(prefix),
      id: 'kept',
      document: { projectName: 'p', sourceUri: 'file:///x.jpg', labelIds: ['cat', 'animals'] },
      refresh: true,
    });
    await ensureImageIndex(search, prefix);
    expect((await search.count({ index: imageAlias(prefix) })).count).toBe(1);
  });

  it('refuses fields outside the mapping (strict), so typos cannot pollute it', async () => {
    await ensureImageIndex(search, prefix);
    await expect(search.index({ index: imageAlias(prefix), document: { notAField: 1 } })).rejects.toThrow(
      /strict_dynamic_mapping_exception/,
    );
  });

  it('maps image embeddings as one dense_vector field per model, its dims from the first vector', async () => {
    // Packs come and go (CLIP ViT-B/32: 512 dims, the tiny pack: 16): each model gets a field of its
    // own when its first vector arrives, so the index never depends on the loaded pack and vectors of
    // different models are never compared. Nothing else may be added under embeddings.
    await ensureImageIndex(search, prefix);
    const small = 'small-model@1';
    const large = 'large-model@2.0';
    const vector = (dims: number) => Array.from({ length: dims }, (_, i) => (i === 0 ? 1 : 0));
    await search.index({
      index: imageAlias(prefix),
      id: 'small',
      document: { embeddings: { [vectorKeyOf(small)]: vector(3) } },
      refresh: true,
    });
    await search.index({
      index: imageAlias(prefix),
      id: 'large',
      document: { embeddings: { [vectorKeyOf(large)]: vector(7) } },
      refresh: true,
    });
    const mapping = Object.values(await search.indices.getMapping({ index: imageAlias(prefix) }))[0].mappings.properties!.embeddings as {
      properties: Record<string, unknown>;
    };
    expect(mapping.properties[vectorKeyOf(small)]).toMatchObject({
      type: 'dense_vector',
      dims: 3,
      index: true,
      similarity: 'cosine',
      index_options: { type: 'hnsw' },
    });
    expect(mapping.properties[vectorKeyOf(large)]).toMatchObject({ type: 'dense_vector', dims: 7 });
    expect(vectorFieldOf(large)).toBe(`embeddings.${vectorKeyOf(large)}`);
    expect(vectorKeyOf(large)).toMatch(/^large-model_2_0-[0-9a-f]{8}$/);

    // Another vector length for a model already mapped is refused, as is a text under embeddings.
    await expect(
      search.index({ index: imageAlias(prefix), document: { embeddings: { [vectorKeyOf(small)]: vector(4) } } }),
    ).rejects.toThrow(/dimensions|dims/);
    await expect(search.index({ index: imageAlias(prefix), document: { embeddings: { other: 'text' } } })).rejects.toThrow();
    await search.delete({ index: imageAlias(prefix), id: 'small', refresh: true });
    await search.delete({ index: imageAlias(prefix), id: 'large', refresh: true });
  });

  it('moves an alias left at an older, empty mapping; refuses to drop documents from a full one', async () => {
    const older = `${config.ES_INDEX_PREFIX}-upgrade`;
    const oldIndex = imageIndexName(older, MAPPING_VERSION - 1);
    await search.indices.create({ index: oldIndex, aliases: { [imageAlias(older)]: { is_write_index: true } } });
    // Searches see the older mapping (and leave its missing fields alone) until the alias moves.
    const check = new MappingCheck(search, older, 0);
    expect([await aliasHasCurrentMapping(search, older), await check.isCurrent()]).toEqual([false, false]);
    await ensureImageIndex(search, older);
    expect([await aliasHasCurrentMapping(search, older), await check.isCurrent()]).toEqual([true, true]);
    expect(Object.keys(await search.indices.getAlias({ name: imageAlias(older) }))).toEqual([imageIndexName(older)]);
    expect(await search.indices.exists({ index: oldIndex })).toBe(false);
    await search.indices.delete({ index: imageIndexName(older) });

    await search.indices.create({ index: oldIndex, aliases: { [imageAlias(older)]: { is_write_index: true } } });
    await search.index({ index: oldIndex, document: { any: 'thing' }, refresh: true });
    await expect(ensureImageIndex(search, older)).rejects.toThrow(/holds 1 documents: run `npm run reindex`/);
    await search.indices.delete({ index: oldIndex });
  });

  it('aborts the count and the facets when the page request fails, and one facet request when the other fails', async () => {
    await ensureImageIndex(search, prefix);
    await search.index({
      index: imageAlias(prefix),
      id: 'counted',
      document: { projectId: 'abandon', labelIds: ['cat'], createdAt: new Date().toISOString() },
      refresh: true,
    });
    // The real client, watched: which requests carried which abort signal.
    let failPage = true;
    const signals: { request: string; signal?: AbortSignal }[] = [];
    const watched = new Proxy(search, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'count' && property !== 'search') return value;
        return (params: Record<string, unknown>, options?: { signal?: AbortSignal }) => {
          signals.push({ request: String(property), signal: options?.signal });
          // The page's request, made one Elasticsearch refuses (a null time): the page fails, the count would not.
          const sent = failPage && params.sort ? { ...params, search_after: [null, 'x'] } : params;
          return value.call(target, sent, options);
        };
      },
    }) as Client;
    const request = {
      projectId: 'abandon',
      filter: { allOf: [], anyOf: [], noneOf: [], includeDescendants: true },
      sort: 'CREATED_AT' as const,
      first: 5,
      facetSize: 5,
      facetSampleSize: 0,
    };
    await expect(searchImagePage(watched, imageAlias(prefix), request)).rejects.toThrow(/cannot be null/i);
    const count = signals.find((s) => s.request === 'count');
    expect(count?.signal?.aborted).toBe(true);
    // The page's own request carries none; whatever was started beside it was aborted.
    expect(signals.filter((s) => s.signal).every((s) => s.signal!.aborted)).toBe(true);

    // A facet request Elasticsearch refuses (terms of size 0) stops its sibling: the page is fine.
    signals.length = 0;
    failPage = false;
    const page = await searchImagePage(watched, imageAlias(prefix), { ...request, facetSize: 0 });
    expect(page.images).toHaveLength(1);
    await expect(page.facets).rejects.toThrow(/size/i);
    const facetRequests = signals.filter((s) => s.request === 'search' && s.signal);
    expect(facetRequests).toHaveLength(2);
    expect(facetRequests.every((s) => s.signal!.aborted)).toBe(true);
    await search.delete({ index: imageAlias(prefix), id: 'counted', refresh: true });
  });
});
