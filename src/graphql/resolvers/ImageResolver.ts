import { LabelLanguage } from '../../vocabulary';
import { Access } from '../../auth/accessRules';
import { ApiAction } from '../../auth/actions';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ConnectionView } from '../../application/connection';
import type { BatchItemView, DetectionView, ImageUpload } from '../../application/detectionUseCases';
import type { ImageView, LabelView } from '../../application/imageViews';
import { DEFAULT_THUMBNAIL_SIZE, THUMBNAIL_SIZES } from '../../delivery/thumbnailSizes';
import type { GraphQLContext } from '../context';
import {
  DetectedLabel,
  DetectImageLabelsBatchItem,
  DetectImageLabelsInput,
  DetectImageLabelsPayload,
  StoredImage,
  StoredImageConnection,
} from '../types/Image';
import { PageArgs } from '../types/PageArgs';
import { UploadScalar } from '../types/Upload';

@ArgsType()
class ImagesArgs extends PageArgs {
  @Field()
  projectName!: string;
}

@Resolver(() => StoredImage)
export class ImageResolver {
  @Access({ action: ApiAction.DetectImageLabels, project: (a) => a.input?.projectName })
  @Mutation(() => DetectImageLabelsPayload, {
    description: "Labels one image like IMM's DetectImageLabels, stores it with its labels, and indexes it for search.",
  })
  detectImageLabels(
    @Arg('input', () => DetectImageLabelsInput) input: DetectImageLabelsInput,
    @Ctx() ctx: GraphQLContext,
    @Arg('file', () => UploadScalar, {
      nullable: true,
      description:
        "The photo itself, sent as a multipart request (docs/api.md#upload), instead of sourceURI: stored in the project's uploadTo under its SHA-256.",
    })
    file?: Promise<ImageUpload> | null,
  ): Promise<DetectionView> {
    return ctx.services.detection.detect(input, ctx.requestId, file);
  }

  @Access({ action: ApiAction.DetectImageLabels, items: (a) => (a.inputs ?? []).map((input: DetectImageLabelsInput) => input.projectName) })
  @Mutation(() => [DetectImageLabelsBatchItem], {
    description:
      'Labels many images; each item succeeds or fails on its own (one bad item does not fail the others). At most MAX_BATCH_ITEMS (default 50).',
  })
  detectImageLabelsBatch(
    @Arg('inputs', () => [DetectImageLabelsInput]) inputs: DetectImageLabelsInput[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<BatchItemView[]> {
    const mayDetect = (projectName: string) => ctx.access.requireProject(ApiAction.DetectImageLabels, projectName);
    return ctx.services.detection.detectBatch(inputs, ctx.requestId, mayDetect, ctx.logger);
  }

  @Access({ action: ApiAction.ReadImages, image: (a) => a.id })
  @Query(() => StoredImage, { description: 'One stored image; ResourceNotFound when there is none.' })
  image(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ImageView> {
    return ctx.services.images.get(id);
  }

  @Access({ action: ApiAction.ReadImages, project: (a) => a.projectName })
  @Query(() => StoredImageConnection, { description: "A project's images, newest first, a page at a time." })
  images(
    @Args(() => ImagesArgs) { projectName, first, after }: ImagesArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConnectionView<ImageView>> {
    return ctx.services.images.list(projectName, first, after);
  }

  @Access({ action: ApiAction.DeleteImages, image: (a) => a.id })
  @Mutation(() => StoredImage, { description: 'Deletes a stored image with its labels; its search document follows.' })
  deleteImage(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ImageView> {
    return ctx.services.images.delete(id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "A URL of the original image, valid for expiresInSeconds (60..86400, default 900; signed URLs end on a whole minute): a presigned GET for oss:// and s3:// sources, else a signed URL of the gateway (/images/{id}/original). Null when the project may no longer read the image's source.",
  })
  url(
    @Root() image: ImageView,
    @Ctx() ctx: GraphQLContext,
    @Arg('expiresInSeconds', () => Int, { nullable: true }) expiresInSeconds?: number | null,
  ): Promise<string | null> {
    return ctx.services.images.originalUrl(image, ctx.baseUrl, expiresInSeconds);
  }

  @FieldResolver(() => String, {
    description: `A signed URL of a thumbnail (WebP or JPEG by the browser's Accept header, EXIF-rotated, the longer side at most size: ${THUMBNAIL_SIZES.join(', ')}; default ${DEFAULT_THUMBNAIL_SIZE}), valid for expiresInSeconds (60..86400, default 900), for an <img> tag.`,
  })
  thumbnailUrl(
    @Root() image: ImageView,
    @Ctx() ctx: GraphQLContext,
    @Arg('size', () => Int, { nullable: true }) size?: number | null,
    @Arg('expiresInSeconds', () => Int, { nullable: true }) expiresInSeconds?: number | null,
  ): string {
    return ctx.services.images.thumbnailUrl(image, ctx.baseUrl, size, expiresInSeconds);
  }

  @FieldResolver(() => [DetectedLabel], {
    description:
      'The labels as last detected, named in the given language, listed as detectImageLabels lists them: the most specific labels first, strongest first, then the parent labels they imply.',
  })
  labels(
    @Root() image: ImageView,
    @Ctx() ctx: GraphQLContext,
    @Arg('language', () => LabelLanguage, { defaultValue: LabelLanguage.ZH_HANS }) language: LabelLanguage,
  ): LabelView[] {
    return ctx.services.images.labels(image, language);
  }
}
