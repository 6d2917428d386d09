import { boxPercent, EMPTY_SEARCH, graphiqlLink, searchDocument, searchVariables, toggleFacet } from '../../web/src/searchQuery';

// The search page's pure parts: what it sends, and how it places object boxes.

describe('the search page query', () => {
  it('asks for the total and the facets on the first page only, and for boxes only where the server has them', () => {
    expect(searchDocument({ firstPage: true, withBoxes: false })).toContain('facets {');
    expect(searchDocument({ firstPage: false, withBoxes: false })).not.toMatch(/facets|totalCount/);
    expect(searchDocument({ firstPage: true, withBoxes: false })).not.toContain('instances');
    expect(searchDocument({ firstPage: true, withBoxes: true })).toContain('instances { boundingBox { left top width height } }');
  });

  it('sends only the filters that are set', () => {
    expect(searchVariables({ ...EMPTY_SEARCH, project: 'p' }, 24)).toEqual({
      projectName: 'p',
      text: null,
      filter: null,
      first: 24,
      after: null,
      language: 'ZH_HANS',
    });
    const state = { ...EMPTY_SEARCH, project: 'p', text: ' 猫 ', include: ['cat'], exclude: ['dog'], minConfidence: 0.5, levels: [3] };
    expect(searchVariables(state, 2, 'c1')).toEqual({
      projectName: 'p',
      text: '猫',
      filter: { allOf: ['cat'], noneOf: ['dog'], minConfidence: 0.5, levels: [3] },
      first: 2,
      after: 'c1',
      language: 'ZH_HANS',
    });
  });

  it('links GraphiQL to the same query in the URL fragment', () => {
    const link = graphiqlLink({ ...EMPTY_SEARCH, project: 'p', include: ['cat'] }, 24, false);
    const params = new URLSearchParams(link.slice(link.indexOf('#') + 1));
    expect(link.startsWith('/graphql#')).toBe(true);
    expect(params.get('query')).toBe(searchDocument({ firstPage: true, withBoxes: false }));
    expect(JSON.parse(params.get('variables')!).filter).toEqual({ allOf: ['cat'] });
  });
});

describe('facet clicks', () => {
  const state = { ...EMPTY_SEARCH, project: 'p' };
  it('click includes, alt-click excludes, and each undoes itself or the other', () => {
    const included = toggleFacet(state, 'cat', false);
    expect([included.include, included.exclude]).toEqual([['cat'], []]);
    const excluded = toggleFacet(included, 'cat', true);
    expect([excluded.include, excluded.exclude]).toEqual([[], ['cat']]);
    expect(toggleFacet(excluded, 'cat', true).exclude).toEqual([]);
    expect(toggleFacet(included, 'cat', false).include).toEqual([]);
  });
});

describe('object boxes', () => {
  it('places boxes given as fractions or as pixels of the stored image, clamped to it', () => {
    expect(boxPercent({ left: 0.1, top: 0.2, width: 0.5, height: 0.25 }, 800, 600)).toEqual({ left: 10, top: 20, width: 50, height: 25 });
    expect(boxPercent({ left: 80, top: 60, width: 400, height: 300 }, 800, 600)).toEqual({ left: 10, top: 10, width: 50, height: 50 });
    expect(boxPercent({ left: 700, top: 0, width: 2000, height: 600 }, 800, 600)).toEqual({ left: 87.5, top: 0, width: 100, height: 100 });
  });
});
