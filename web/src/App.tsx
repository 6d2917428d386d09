import { useEffect, useMemo, useState } from 'preact/hooks';
import { CommitInput, FacetList, ImageCard, PageEnd, SearchBox } from './components';
import { EMPTY_SEARCH, graphiqlLink, toggleFacet, type Facet, type Language, type SearchState } from './searchQuery';
import { useBoxesSupported, useProjectNames, useSearch } from './useApi';

// The key lives in this tab only (sessionStorage), under the name GraphiQL uses too.
const KEY_ITEM = 'labelgate:apiKey';
const PROJECT_ITEM = 'labelgate:project';
const params = new URLSearchParams(location.search);
/** Images a page (?pageSize=, 1..100; default 24). */
const PAGE_SIZE = Math.min(100, Math.max(1, Number(params.get('pageSize')) || 24));

export function App() {
  const [apiKey, setApiKey] = useState(() => sessionStorage.getItem(KEY_ITEM) ?? '');
  const [search, setSearch] = useState<SearchState>(() => ({
    ...EMPTY_SEARCH,
    project: params.get('project') ?? sessionStorage.getItem(PROJECT_ITEM) ?? '',
  }));
  const [names, setNames] = useState<Record<string, string>>({});
  const withBoxes = useBoxesSupported(apiKey);
  const projectNames = useProjectNames(apiKey);
  const result = useSearch(apiKey, search, PAGE_SIZE, withBoxes);

  useEffect(() => {
    if (apiKey) sessionStorage.setItem(KEY_ITEM, apiKey);
    else sessionStorage.removeItem(KEY_ITEM);
  }, [apiKey]);
  useEffect(() => sessionStorage.setItem(PROJECT_ITEM, search.project), [search.project]);

  // Facet names, kept so a chip keeps its name when its facet drops out of the counts.
  useEffect(() => {
    const facets = result.facets;
    if (!facets) return;
    setNames((before) => ({ ...before, ...Object.fromEntries([...facets.categories, ...facets.labels].map((f) => [f.labelId, f.name])) }));
  }, [result.facets]);

  const toggle = (facet: Facet, exclude: boolean) => {
    setNames((before) => ({ ...before, [facet.labelId]: facet.name }));
    setSearch((state) => toggleFacet(state, facet.labelId, exclude));
  };
  const levels = useMemo(
    () => (result.facets?.levels ?? []).map((l) => ({ labelId: `level-${l.level}`, name: `Level ${l.level}`, count: l.count })),
    [result.facets],
  );

  return (
    <div class="page">
      <header>
        <h1>Labelgate</h1>
        <label>
          API key
          <CommitInput id="api-key" type="password" placeholder="lg_… (kept in this tab only)" value={apiKey} onCommit={setApiKey} />
        </label>
        <label>
          Project
          <CommitInput
            id="project"
            list="project-names"
            value={search.project}
            placeholder="project name"
            onCommit={(project) => setSearch((state) => ({ ...EMPTY_SEARCH, language: state.language, project }))}
          />
          <datalist id="project-names">
            {projectNames.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </label>
        <label>
          Labels in
          <select
            id="language"
            value={search.language}
            onChange={(e) => setSearch({ ...search, language: (e.target as HTMLSelectElement).value as Language })}
          >
            <option value="ZH_HANS">中文</option>
            <option value="EN">English</option>
          </select>
        </label>
        <a id="graphiql-link" href={graphiqlLink(search, PAGE_SIZE, withBoxes)} target="_blank" rel="noopener">
          Open this query in GraphiQL
        </a>
      </header>

      <aside>
        <SearchBox
          apiKey={apiKey}
          language={search.language}
          text={search.text}
          onText={(text) => setSearch({ ...search, text })}
          onLabel={(id, name) => {
            setNames((before) => ({ ...before, [id]: name }));
            setSearch((state) => toggleFacet(state, id, false));
          }}
        />
        {(search.include.length > 0 || search.exclude.length > 0 || search.text) && (
          <div class="chips" id="active-filters">
            {search.text && (
              <button type="button" class="chip text" onClick={() => setSearch({ ...search, text: '' })}>
                “{search.text}” ×
              </button>
            )}
            {search.include.map((id) => (
              <button
                key={id}
                type="button"
                class="chip included"
                data-label-id={id}
                onClick={() => setSearch(toggleFacet(search, id, false))}
              >
                {names[id] ?? id} ×
              </button>
            ))}
            {search.exclude.map((id) => (
              <button
                key={id}
                type="button"
                class="chip excluded"
                data-label-id={id}
                onClick={() => setSearch(toggleFacet(search, id, true))}
              >
                not {names[id] ?? id} ×
              </button>
            ))}
          </div>
        )}
        <label class="confidence">
          Minimum confidence <output id="min-confidence-value">{Math.round(search.minConfidence * 100)}%</output>
          <input
            id="min-confidence"
            type="range"
            min="0"
            max="0.95"
            step="0.05"
            value={search.minConfidence}
            onChange={(e) => setSearch({ ...search, minConfidence: Number((e.target as HTMLInputElement).value) })}
          />
        </label>
        <p class="hint">Click a label to include it; Alt-click to exclude it.</p>
        {result.facets && (
          <>
            <FacetList
              title="Categories"
              facets={result.facets.categories}
              include={search.include}
              exclude={search.exclude}
              onToggle={toggle}
            />
            <FacetList title="Labels" facets={result.facets.labels} include={search.include} exclude={search.exclude} onToggle={toggle} />
            <FacetList
              title="Levels"
              facets={levels}
              include={search.levels.map((level) => `level-${level}`)}
              exclude={[]}
              onToggle={(facet) => {
                const level = Number(facet.labelId.slice('level-'.length));
                setSearch({
                  ...search,
                  levels: search.levels.includes(level) ? search.levels.filter((l) => l !== level) : [...search.levels, level],
                });
              }}
            />
          </>
        )}
      </aside>

      <main>
        <p id="status" class={result.error ? 'error' : ''}>
          {!apiKey
            ? 'Paste an API key, then name a project.'
            : !search.project
              ? 'Name a project.'
              : result.error
                ? `${result.error.code}: ${result.error.message}${result.error.requestId ? ` (request ${result.error.requestId})` : ''}`
                : result.totalCount !== null
                  ? `${result.totalCount} image${result.totalCount === 1 ? '' : 's'}${result.facets && !result.facets.exact ? ' (counts estimated)' : ''}`
                  : 'Searching…'}
        </p>
        <div id="grid" class="grid">
          {result.images.map((image) => (
            <ImageCard key={image.id} image={image} />
          ))}
        </div>
        <PageEnd active={result.hasNextPage && !result.error} shown={result.images.length} onVisible={result.loadMore} />
        {result.loading && <p class="loading">Loading…</p>}
      </main>
    </div>
  );
}
