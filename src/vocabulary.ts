// The API's words, one definition each: the services use the values, and GraphQL registers these
// same objects as its enums (src/graphql/types), so the two can never drift apart.

/** { A: 'A', B: 'B' } from 'A', 'B': an enum whose values are its names, spelt once. */
function namedValues<const T extends string>(...names: T[]): { readonly [K in T]: K } {
  return Object.freeze(Object.fromEntries(names.map((name) => [name, name]))) as { readonly [K in T]: K };
}

/** Language of label names, as IMM's Language parameter. */
export const LabelLanguage = { ZH_HANS: 'zh-Hans', EN: 'en' } as const;
export type LabelLanguage = (typeof LabelLanguage)[keyof typeof LabelLanguage];

/** Order of search results. */
export const SearchSort = namedValues('CREATED_AT', 'CONFIDENCE', 'CENTRIC_SCORE', 'RELEVANCE');
export type SearchSort = (typeof SearchSort)[keyof typeof SearchSort];

/** KEYWORD: text against label names; SEMANTIC: kNN on the text's embedding (see search/semanticSearch.ts). */
export const SearchMode = namedValues('KEYWORD', 'SEMANTIC');
export type SearchMode = (typeof SearchMode)[keyof typeof SearchMode];

/** A task's state, as IMM's task Status. */
export const TaskState = namedValues('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

/** Whether an API key works, or why not. */
export const ApiKeyStatus = namedValues('ACTIVE', 'EXPIRED', 'REVOKED');
export type ApiKeyStatus = (typeof ApiKeyStatus)[keyof typeof ApiKeyStatus];
