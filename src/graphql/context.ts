import type { AccessControl } from '../auth/accessControl';
import type { ApiKeyService } from '../auth/apiKeyService';
import type { DetectionTaxonomy } from '../detection/labelDetector';
import type { ImageSearchService } from '../search/imageSearchService';
import type { ImageService } from '../images/imageService';
import type { ImageDeliveryService } from '../delivery/imageDeliveryService';
import type { LiveSubscriptionService } from '../live/liveSubscriptionService';
import type { Client } from '@elastic/elasticsearch';
import type { Logger } from '../logger';
import type { LabelSuggester } from '../taxonomy/labelSuggester';
import type { ReindexResult } from '../search/reindex';
import type { ImageCountLoader } from '../projects/imageCountLoader';
import type { ProjectService } from '../projects/projectService';
import type { Taxonomy } from '../taxonomy/taxonomy';
import type { TaskService } from '../tasks/taskService';

/** What every resolver gets: the request's id and logger, and the domain services. */
export interface GraphQLContext {
  requestId: string;
  /** The gateway's address as this request reached it (or PUBLIC_URL), for URLs in answers. */
  baseUrl: string;
  logger: Logger;
  /** Who is calling and what they may do; every root operation goes through it (src/auth/accessRules.ts). */
  access: AccessControl;
  apiKeys: ApiKeyService;
  projects: ProjectService;
  /** This request's projects' image counts, batched. */
  imageCounts: ImageCountLoader;
  /** The label vocabulary, loaded once at start. */
  taxonomy: Taxonomy;
  /** The same, as detection names labels (for stored labels). */
  labelNames: DetectionTaxonomy;
  images: ImageService;
  /** Labeling tasks (create, follow, cancel); workers run them. */
  tasks: TaskService;
  /** Image URLs (presigned or signed) and the image route's bytes. */
  delivery: ImageDeliveryService;
  /** Subscriptions' event streams, under the access rules. */
  live: LiveSubscriptionService;
  imageSearch: ImageSearchService;
  suggester: LabelSuggester;
  /** Rebuilds the search index from Postgres (admin). */
  reindex: () => Promise<ReindexResult>;
  /** Elasticsearch and the image alias, for read-only aggregations. */
  search: Client;
  searchAlias: string;
  maxBatchItems: number;
}
