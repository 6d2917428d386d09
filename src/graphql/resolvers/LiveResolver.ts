import { ApiAction } from '../../auth/actions';
import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { LiveTopics } from '../../live/liveTopics';
import type { GraphQLContext } from '../context';
import { LiveSubscription } from '../liveSubscription';
import { ImageLabeledEvent } from '../types/Live';
import { StoredImage } from '../types/Image';
import type { ImageView } from '../../application/imageViews';

/** Live feeds over WebSocket (graphql-ws at /graphql). A task's progress will be one more method here. */
@Resolver(() => ImageLabeledEvent)
export class LiveResolver {
  @LiveSubscription(
    () => ImageLabeledEvent,
    'imageLabeled',
    { action: ApiAction.ReadImages, project: (a) => a.projectName, target: (_a, services, project) => services.projects.get(project) },
    "The project's images as they are labelled, from now on (over WebSocket, graphql-ws).",
  )
  imageLabeled(@Root() event: LiveTopics['imageLabeled'], @Arg('projectName') _projectName: string): ImageLabeledEvent {
    return { projectName: event.projectName, imageId: event.imageId, labeledAt: new Date(event.labeledAt) };
  }

  @FieldResolver(() => StoredImage, { nullable: true })
  image(@Root() event: ImageLabeledEvent, @Ctx() ctx: GraphQLContext): Promise<ImageView | null> {
    return ctx.services.images.find(event.imageId);
  }
}
