import { LabelLanguage } from '../../vocabulary';
import { Access } from '../../auth/accessRules';
import { ApiAction } from '../../auth/actions';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { inListingOrder, strongestReportedFirst } from '../../detection/labelAssembler';
import { describeLabel } from '../../taxonomy/labelNaming';
import { ApiError } from '../../api/errors';
import type { DetectImageLabelsResult } from '../../images/imageService';
import { ImageWithLabels, StoredLabel, storedLabelOf } from '../../persistence/imageRepository';
import { imageFacts, IndexedImage } from '../../search/imageDocument';
import { DEFAULT_THUMBNAIL_SIZE, THUMBNAIL_SIZES } from '../../delivery/thumbnailSizes';
import { connectionOf } from '../connection';
import type { GraphQLContext } from '../context';
import {
  DetectedLabel,
  DetectImageLabelsBatchItem,
  DetectImageLabelsInput,
  DetectImageLabelsPayload,
  LabelClip,
  StoredImage,
  StoredImageConnection,
} from '../types/Image';

/** StoredImage as resolvers pass it around: the GraphQL fields plus the label rows, named when read. */
export type ImageNode = StoredImage & { labelRows: StoredLabel[] };

const BATCH_CONCURRENCY = 4;

const refOf = (image: ImageNode) => ({ id: image.id });

export function toNode(image: ImageWithLabels): ImageNode {
  return {
    id: image.id,
    projectName: image.project.name,
    sourceURI: image.sourceUri,
    ...imageFacts(image),
    detectedAt: image.detectedAt,
    createdAt: image.createdAt,
    labelRows: image.labels.map(storedLabelOf),
  };
}

/** A search hit's image, as indexed (see ImageSearchService). */
export function nodeOfIndexed(image: IndexedImage): ImageNode {
  return {
    id: image.imageId,
    projectName: image.projectName,
    sourceURI: image.sourceUri,
    ...imageFacts(image),
    detectedAt: new Date(image.detectedAt),
    createdAt: new Date(image.createdAt),
    labelRows: image.labels.map((label) => ({ labelId: label.id, confidence: label.confidence, centricScore: label.centricScore, instances: label.instances ?? [] })),
  };
}

const NO_CLIPS: readonly LabelClip[] = Object.freeze([]);
/** The label with IMM's clips (none for an image), completed in place: a search page has hundreds. */
const withClips = (label: Omit<DetectedLabel, 'clips' | 'language'> & { language: string }): DetectedLabel => {
  (label as DetectedLabel).clips = NO_CLIPS as LabelClip[];
  return label as DetectedLabel;
};

function toPayload(result: DetectImageLabelsResult): DetectImageLabelsPayload {
  return { requestId: result.requestId, image: toNode(result.image), labels: result.labels.map(withClips) };
}

@Resolver(() => StoredImage)
export class ImageResolver {
  @Access({ action: ApiAction.DetectImageLabels, project: (a) => a.input?.projectName })
  @Mutation(() => DetectImageLabelsPayload, {
    description: "Labels one image like IMM's DetectImageLabels, stores it with its labels, and indexes it for search.",
  })
  async detectImageLabels(@Arg('input', () => DetectImageLabelsInput) input: DetectImageLabelsInput, @Ctx() ctx: GraphQLContext): Promise<DetectImageLabelsPayload> {
    return toPayload(await ctx.images.detect({ ...input, sourceUri: input.sourceURI }, ctx.requestId));
  }

  @Access({ action: ApiAction.DetectImageLabels, items: (a) => (a.inputs ?? []).map((input: DetectImageLabelsInput) => input.projectName) })
  @Mutation(() => [DetectImageLabelsBatchItem], {
    description: 'Labels many images; each item succeeds or fails on its own (one bad item does not fail the others). At most MAX_BATCH_ITEMS (default 50).',
  })
  async detectImageLabelsBatch(
    @Arg('inputs', () => [DetectImageLabelsInput]) inputs: DetectImageLabelsInput[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<DetectImageLabelsBatchItem[]> {
    if (inputs.length === 0) throw new ApiError('MissingParameter', 'inputs must name at least one image.', { field: 'inputs' });
    if (inputs.length > ctx.maxBatchItems) throw new ApiError('LimitExceeded', `A batch may name at most ${ctx.maxBatchItems} images (got ${inputs.length}).`, { field: 'inputs' });
    const results: DetectImageLabelsBatchItem[] = new Array(inputs.length);
    let next = 0;
    const worker = async () => {
      while (next < inputs.length) {
        const i = next++;
        const input = inputs[i];
        try {
          await ctx.access.requireProject(ApiAction.DetectImageLabels, input.projectName);
          const result = await ctx.images.detect({ ...input, sourceUri: input.sourceURI }, `${ctx.requestId}-${i}`);
          results[i] = { sourceURI: input.sourceURI, result: toPayload(result), error: null };
        } catch (error) {
          if (!(error instanceof ApiError)) ctx.logger.error({ err: error, item: i }, 'batch item failed unexpectedly');
          const apiError = error instanceof ApiError ? error : new ApiError('InternalError', 'An internal error occurred. Quote the request id when reporting it.');
          results[i] = { sourceURI: input.sourceURI, result: null, error: { code: apiError.code, message: apiError.message } };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, inputs.length) }, worker));
    return results;
  }

  @Access({ action: ApiAction.ReadImages, image: (a) => a.id })
  @Query(() => StoredImage, { description: 'One stored image; ResourceNotFound when there is none.' })
  async image(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<StoredImage> {
    return toNode(await ctx.images.get(id));
  }

  @Access({ action: ApiAction.ReadImages, project: (a) => a.projectName })
  @Query(() => StoredImageConnection, { description: "A project's images, newest first, a page at a time." })
  async images(
    @Arg('projectName') projectName: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: '1..100, default 20.' }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<StoredImageConnection> {
    const page = await ctx.images.list(projectName, first, after);
    return connectionOf(page, toNode, (row) => ctx.images.cursorOf(row));
  }

  @Access({ action: ApiAction.DeleteImages, image: (a) => a.id })
  @Mutation(() => StoredImage, { description: 'Deletes a stored image with its labels; its search document follows.' })
  async deleteImage(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<StoredImage> {
    return toNode(await ctx.images.delete(id));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'A URL of the original image, valid for expiresInSeconds (60..86400, default 900; signed URLs end on a whole minute): a presigned GET for oss:// and s3:// sources, else a signed URL of the gateway (/images/{id}/original). Null when the project may no longer read the image\'s source.',
  })
  url(
    @Root() image: ImageNode,
    @Ctx() ctx: GraphQLContext,
    @Arg('expiresInSeconds', () => Int, { nullable: true }) expiresInSeconds?: number | null,
  ): Promise<string | null> {
    return ctx.delivery.originalUrl(refOf(image), ctx.baseUrl, expiresInSeconds);
  }

  @FieldResolver(() => String, {
    description: `A signed URL of a thumbnail (WebP or JPEG by the browser's Accept header, EXIF-rotated, the longer side at most size: ${THUMBNAIL_SIZES.join(', ')}; default ${DEFAULT_THUMBNAIL_SIZE}), valid for expiresInSeconds (60..86400, default 900), for an <img> tag.`,
  })
  thumbnailUrl(
    @Root() image: ImageNode,
    @Ctx() ctx: GraphQLContext,
    @Arg('size', () => Int, { nullable: true }) size?: number | null,
    @Arg('expiresInSeconds', () => Int, { nullable: true }) expiresInSeconds?: number | null,
  ): string {
    return ctx.delivery.thumbnailUrl(refOf(image), ctx.baseUrl, size, expiresInSeconds);
  }

  @FieldResolver(() => [DetectedLabel], { description: 'The labels as last detected, named in the given language, listed as detectImageLabels lists them: the most specific labels first, strongest first, then the parent labels they imply.' })
  labels(
    @Root() image: ImageNode,
    @Ctx() ctx: GraphQLContext,
    @Arg('language', () => LabelLanguage, { defaultValue: LabelLanguage.ZH_HANS }) language: LabelLanguage,
  ): DetectedLabel[] {
    // Named first, then ordered on the reported values: a search page lists a few hundred labels.
    const labels = image.labelRows.map((row) => withClips(describeLabel(ctx.labelNames, row, language)));
    return inListingOrder(labels, (label) => label.labelId, (id) => ctx.labelNames.ancestors(id), (label) => label.labelLevel, strongestReportedFirst);
  }
}
