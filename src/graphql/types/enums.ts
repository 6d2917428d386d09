import { registerEnumType } from 'type-graphql';
import { ACTION_DESCRIPTIONS, ApiAction } from '../../auth/actions';
import { ApiKeyStatus, LabelLanguage, SearchMode, SearchSort, TaskState } from '../../vocabulary';

// The API's vocabulary as GraphQL enums, each registered once, here: the values are those the
// services use (src/vocabulary.ts, src/auth/actions.ts), so the two never drift apart.

/** valuesConfig from one description per value. */
const described = (descriptions: Record<string, string>) =>
  Object.fromEntries(Object.entries(descriptions).map(([value, description]) => [value, { description }]));

registerEnumType(LabelLanguage, {
  name: 'LabelLanguage',
  description: "Language of label names, as IMM's Language parameter: ZH_HANS is IMM's `zh-Hans` (the default), EN is `en`.",
  valuesConfig: described({ ZH_HANS: 'Simplified Chinese (IMM: zh-Hans).', EN: 'English (IMM: en).' }),
});

registerEnumType(SearchSort, {
  name: 'SearchSort',
  description: 'Order of search results (ties: newest first, then image id, so paging is stable).',
  valuesConfig: described({
    CREATED_AT: 'Newest first (default).',
    CONFIDENCE: 'Highest confidence of the filtered labels (of any label without a label filter).',
    CENTRIC_SCORE: 'Highest CentricScore of the filtered labels.',
    RELEVANCE: 'Best match of the label filters, weighted by confidence.',
  }),
});

registerEnumType(SearchMode, {
  name: 'SearchMode',
  description: 'How text finds images.',
  valuesConfig: described({
    KEYWORD: 'Text matches label names and aliases (default).',
    SEMANTIC:
      'Images ranked by the similarity of their embedding to the embedding of text (kNN), within the filter; needs text and a dual-encoder (CLIP-style) pack; sort RELEVANCE only. Images detected without a dual encoder have no embedding and are not found.',
  }),
});

registerEnumType(TaskState, {
  name: 'TaskState',
  description:
    "A task's state, as IMM's task Status: queued, running, then succeeded (image errors included), failed (its sources could not be listed) or cancelled.",
});

registerEnumType(ApiAction, {
  name: 'ApiAction',
  description: 'What an API key may do (like IMM RAM actions).',
  valuesConfig: described(
    Object.fromEntries(Object.entries(ACTION_DESCRIPTIONS).map(([action, operations]) => [action, `Allows ${operations}.`])),
  ),
});

registerEnumType(ApiKeyStatus, { name: 'ApiKeyStatus' });
