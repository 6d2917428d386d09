import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, graphql } from './api';
import { searchDocument, searchVariables, type SearchPage, type SearchState } from './searchQuery';

export interface SearchResult {
  images: SearchPage['nodes'];
  totalCount: number | null;
  facets: SearchPage['facets'] | null;
  endCursor: string | null;
  hasNextPage: boolean;
  loading: boolean;
  error: ApiError | null;
}

const IDLE: SearchResult = { images: [], totalCount: null, facets: null, endCursor: null, hasNextPage: false, loading: false, error: null };

const asApiError = (error: unknown) =>
  error instanceof ApiError ? error : new ApiError('NetworkError', String((error as Error)?.message ?? error), null);

/** Whether this server's labels carry object boxes (DetectedLabel.instances), asked once per key. */
export function useBoxesSupported(key: string): boolean {
  const [supported, setSupported] = useState(false);
  useEffect(() => {
    if (!key) return;
    graphql<{ __type: { fields: { name: string }[] } | null }>(key, '{ __type(name: "DetectedLabel") { fields { name } } }')
      .then((data) => setSupported(Boolean(data.__type?.fields.some((field) => field.name === 'instances'))))
      .catch(() => setSupported(false));
  }, [key]);
  return supported;
}

/** The search as state says, the first page at once and the next ones on `loadMore`; a newer search cancels an older one. */
export function useSearch(key: string, state: SearchState, pageSize: number, withBoxes: boolean): SearchResult & { loadMore(): void } {
  const [result, setResult] = useState<SearchResult>(IDLE);
  const generation = useRef(0);
  const latest = useRef(result);
  latest.current = result;

  useEffect(() => {
    const mine = ++generation.current;
    if (!key || !state.project) return setResult(IDLE);
    const controller = new AbortController();
    setResult({ ...IDLE, loading: true });
    graphql<{ searchImages: SearchPage }>(
      key,
      searchDocument({ firstPage: true, withBoxes }),
      searchVariables(state, pageSize),
      controller.signal,
    )
      .then(({ searchImages: page }) => {
        if (mine !== generation.current) return;
        setResult({
          images: page.nodes,
          totalCount: page.totalCount ?? null,
          facets: page.facets ?? null,
          endCursor: page.pageInfo.endCursor,
          hasNextPage: page.pageInfo.hasNextPage,
          loading: false,
          error: null,
        });
      })
      .catch((error: unknown) => {
        if (mine === generation.current && !controller.signal.aborted) setResult({ ...IDLE, error: asApiError(error) });
      });
    return () => controller.abort();
  }, [key, JSON.stringify(state), pageSize, withBoxes]);

  const loadMore = () => {
    const current = latest.current;
    if (current.loading || !current.hasNextPage || !current.endCursor) return;
    const mine = generation.current;
    setResult({ ...current, loading: true });
    graphql<{ searchImages: SearchPage }>(
      key,
      searchDocument({ firstPage: false, withBoxes }),
      searchVariables(state, pageSize, current.endCursor),
    )
      .then(({ searchImages: page }) => {
        if (mine !== generation.current) return;
        setResult((before) => ({
          ...before,
          images: [...before.images, ...page.nodes],
          endCursor: page.pageInfo.endCursor,
          hasNextPage: page.pageInfo.hasNextPage,
          loading: false,
        }));
      })
      .catch((error: unknown) => {
        if (mine === generation.current) setResult((before) => ({ ...before, loading: false, error: asApiError(error) }));
      });
  };

  return { ...result, loadMore };
}

/** The projects the key may list (a key without ReadProjects lists none: the name is typed then). */
export function useProjectNames(key: string): string[] {
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    if (!key) return setNames([]);
    graphql<{ projects: { nodes: { name: string }[] } }>(key, '{ projects(first: 100) { nodes { name } } }')
      .then((data) => setNames(data.projects.nodes.map((project) => project.name)))
      .catch(() => setNames([]));
  }, [key]);
  return names;
}
