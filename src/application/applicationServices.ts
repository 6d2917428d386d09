import type { LiveSubscriptionService } from '../live/liveSubscriptionService';
import type { DetectionUseCases } from './detectionUseCases';
import type { ImageUseCases } from './imageUseCases';
import type { KeyUseCases } from './keyUseCases';
import type { LabelUseCases } from './labelUseCases';
import type { ProjectUseCases } from './projectUseCases';
import type { SearchUseCases } from './searchUseCases';
import type { TaskUseCases } from './taskUseCases';

/**
 * The application layer, one service per use-case area, built once by the composition root
 * (src/app.ts) and shared by every request. Each takes and returns plain view models.
 */
export interface ApplicationServices {
  projects: ProjectUseCases;
  detection: DetectionUseCases;
  images: ImageUseCases;
  search: SearchUseCases;
  labels: LabelUseCases;
  keys: KeyUseCases;
  tasks: TaskUseCases;
  /** Subscriptions' event streams, under the access rules. */
  live: LiveSubscriptionService;
}
