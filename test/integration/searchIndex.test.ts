import { createSearchClient } from '../../src/search/elasticsearchClient';
import { ensureImageIndex, imageAlias, imageIndexName, MAPPING_VERSION } from '../../src/search/imageIndex';
import { loadConfig } from '../../src/config/env';

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

    await search.index({ index: imageAlias(prefix), id: 'kept', document: { projectName: 'p', sourceUri: 'file:///x.jpg', labelIds: ['cat', 'animals'] }, refresh: true });
    await ensureImageIndex(search, prefix);
    expect((await search.count({ index: imageAlias(prefix) })).count).toBe(1);
  });

  it('refuses fields outside the mapping (strict), so typos cannot pollute it', async () => {
    await ensureImageIndex(search, prefix);
    await expect(search.index({ index: imageAlias(prefix), document: { notAField: 1 } })).rejects.toThrow(/strict_dynamic_mapping_exception/);
  });

  it('moves an alias left at an older, empty mapping; refuses to drop documents from a full one', async () => {
    const older = `${config.ES_INDEX_PREFIX}-upgrade`;
    const oldIndex = imageIndexName(older, MAPPING_VERSION - 1);
    await search.indices.create({ index: oldIndex, aliases: { [imageAlias(older)]: { is_write_index: true } } });
    await ensureImageIndex(search, older);
    expect(Object.keys(await search.indices.getAlias({ name: imageAlias(older) }))).toEqual([imageIndexName(older)]);
    expect(await search.indices.exists({ index: oldIndex })).toBe(false);
    await search.indices.delete({ index: imageIndexName(older) });

    await search.indices.create({ index: oldIndex, aliases: { [imageAlias(older)]: { is_write_index: true } } });
    await search.index({ index: oldIndex, document: { any: 'thing' }, refresh: true });
    await expect(ensureImageIndex(search, older)).rejects.toThrow(/holds 1 documents: run `npm run reindex`/);
    await search.indices.delete({ index: oldIndex });
  });
});
