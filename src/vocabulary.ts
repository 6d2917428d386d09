// The API's words, one definition each: the services use the values, and GraphQL registers these
// same objects as its enums (src/graphql/types), so the two can never drift apart.

/** Language of label names, as IMM's Language parameter. */
export const LabelLanguage = { ZH_HANS: 'zh-Hans', EN: 'en' } as const;
export type LabelLanguage = (typeof LabelLanguage)[keyof typeof LabelLanguage];

/** Order of search results. */
export const SearchSort = {
  CREATED_AT: 'CREATED_AT',
  CONFIDENCE: 'CONFIDENCE',
  CENTRIC_SCORE: 'CENTRIC_SCORE',
  RELEVANCE: 'RELEVANCE',
} as const;
export type SearchSort = (typeof SearchSort)[keyof typeof SearchSort];

/** KEYWORD: text against label names; SEMANTIC: kNN on the text's embedding (see search/semanticSearch.ts). */
export const SearchMode = { KEYWORD: 'KEYWORD', SEMANTIC: 'SEMANTIC' } as const;
export type SearchMode = (typeof SearchMode)[keyof typeof SearchMode];

/** A task's state, as IMM's task Status. */
export const TaskState = {
  QUEUED: 'QUEUED',
  RUNNING: 'RUNNING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
} as const;
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

/** Whether an API key works, or why not. */
export const ApiKeyStatus = { ACTIVE: 'ACTIVE', EXPIRED: 'EXPIRED', REVOKED: 'REVOKED' } as const;
export type ApiKeyStatus = (typeof ApiKeyStatus)[keyof typeof ApiKeyStatus];
