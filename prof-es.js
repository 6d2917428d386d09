const d = (p) => require('/work/main/dist/' + p);
(async () => {
  const { loadConfig } = d('src/config/env');
  const { createSearchClient } = d('src/search/elasticsearchClient');
  const { BENCH_QUERIES, searchRequest } = d('scripts/bench/search/benchQueries');
  const { buildSearchRequest, totalCountOf } = d('src/search/imageSearch');
  const { countFacets } = d('src/search/facetCounts');
  const { LabelTextMatcher } = d('src/taxonomy/labelTextMatcher');
  const { loadTaxonomy } = d('src/taxonomy/taxonomy');
  const { Client: PgClient } = require('pg');
  const config = loadConfig();
  const pg = new PgClient({ connectionString: config.DATABASE_URL.replace(/\/[^/?]+(\?|$)/, '/labelgate_bench$1') }); await pg.connect();
  const projectId = (await pg.query("SELECT id FROM projects WHERE name='bench-search-1'")).rows[0].id; await pg.end();
  const es = createSearchClient(config.ELASTICSEARCH_URL);
  const alias = process.env.ALIAS ?? 'labelgate-bench-images';
  const tm = new LabelTextMatcher(loadTaxonomy());
  const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)].toFixed(1);
  for (const q of BENCH_QUERIES) {
    const req = searchRequest(q, projectId, tm, 20000);
    const page = buildSearchRequest(alias, req);
    const variants = { page, pageNoTotal: { ...page, track_total_hits: false }, pageByScore: process.env.SCORE ? JSON.parse(process.env.SCORE) : null };
    const t = { page: [], facets: [] };
    for (let i = 0; i < 40; i++) {
      let s = performance.now(); const r = await es.search(page); const pt = performance.now() - s;
      s = performance.now(); await countFacets(es, alias, page.query, { facetSize: 20, matches: totalCountOf(r), sampleSize: 20000 }); const ft = performance.now() - s;
      if (i >= 10) { t.page.push(pt); t.facets.push(ft); }
    }
    console.log(q.name.padEnd(26), 'page', med(t.page), 'facets', med(t.facets));
  }
  await es.close();
})();
