import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { buildSchema, parse, validate } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/env';
import { projectRoot } from '../../src/config/projectRoot';
import { MAX_PAGE_SIZE } from '../../src/api/paging';

// graphql-armor prices a list at its `first` times its contents, so the default cost limit must let
// through the largest page the API documents, with every field a client may show of it.
const schema = buildSchema(readFileSync(join(projectRoot, 'schema.graphql'), 'utf8'));
const LABEL_FIELDS =
  'labelId labelName labelAlias labelLevel labelConfidence centricScore parentLabelId parentLabelName language clips { timeRange }';
const IMAGE_FIELDS = `id projectName sourceURI sha256 width height format bytes modelVersion taxonomyVersion detectedAt createdAt labels(language: EN) { ${LABEL_FIELDS} }`;
const FACET = '{ labelId name count }';
const fullestSearch = (alias: string) =>
  `${alias}: searchImages(projectName: "p", first: ${MAX_PAGE_SIZE}) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${IMAGE_FIELDS} } } facets { exact labels ${FACET} parents ${FACET} categories ${FACET} levels { level count } } }`;

function costOf(document: string): number {
  let cost = NaN;
  const errors = validate(schema, parse(document), [
    costLimitRule({ maxCost: Number.MAX_SAFE_INTEGER, onAccept: [(_context, { n }) => (cost = n)] }),
  ]);
  expect(errors).toEqual([]);
  return cost;
}

describe('the default query cost limit', () => {
  const { GRAPHQL_MAX_COST } = loadConfig({});

  it(`lets a search page of ${MAX_PAGE_SIZE} images with every field through`, () => {
    expect(costOf(`{ ${fullestSearch('a')} }`)).toBeLessThanOrEqual(GRAPHQL_MAX_COST);
  });

  it('still refuses two such pages in one document', () => {
    expect(costOf(`{ ${fullestSearch('a')} ${fullestSearch('b')} }`)).toBeGreaterThan(GRAPHQL_MAX_COST);
  });
});
