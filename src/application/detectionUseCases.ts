import { ApiError, missingParameter } from '../api/errors';
import type { DetectImageLabelsRequest, DetectImageLabelsResult, ImageService } from '../images/imageService';
import type { ImageUpload } from '../images/imageUpload';
import type { Logger } from '../logger';
import { ImageView, imageViewOf, LabelView, withClips } from './imageViews';

export { missingFileError, type ImageUpload } from '../images/imageUpload';

/** detectImageLabels' input as the API names it (sourceURI; left out when the photo is sent with the request). */
export type DetectInput = Omit<DetectImageLabelsRequest, 'sourceUri'> & { projectName: string; sourceURI?: string | null };

/** One detection: the stored image and its labels. */
export interface DetectionView {
  requestId: string;
  image: ImageView;
  labels: LabelView[];
}

/** One item of a batch: a detection or why it failed. */
export interface BatchItemView {
  sourceURI: string;
  result: DetectionView | null;
  error: { code: string; message: string } | null;
}

const BATCH_CONCURRENCY = 4;

const detectionViewOf = (result: DetectImageLabelsResult): DetectionView => ({
  requestId: result.requestId,
  image: imageViewOf(result.image),
  labels: result.labels.map(withClips),
});

/** Labeling images now (tasks label them later: TaskUseCases). */
export class DetectionUseCases {
  constructor(
    private readonly images: ImageService,
    private readonly maxBatchItems: number,
  ) {}

  /**
   * One image, read from its sourceURI, or the photo sent with the request (`file`), which is
   * stored in the project's uploadTo (ImageService.detectUpload).
   */
  async detect(input: DetectInput, requestId: string, file?: Promise<ImageUpload> | null): Promise<DetectionView> {
    const request = { ...input, sourceUri: input.sourceURI };
    return detectionViewOf(await (file ? this.images.detectUpload(request, file, requestId) : this.images.detect(request, requestId)));
  }

  /**
   * Each item on its own (one bad item does not fail the others), a few at a time; `mayDetect`
   * checks the caller's right on each item's project.
   */
  async detectBatch(
    inputs: DetectInput[],
    requestId: string,
    mayDetect: (projectName: string) => Promise<unknown>,
    logger: Logger,
  ): Promise<BatchItemView[]> {
    if (inputs.length === 0) throw new ApiError('MissingParameter', 'inputs must name at least one image.', { field: 'inputs' });
    if (inputs.length > this.maxBatchItems)
      throw new ApiError('LimitExceeded', `A batch may name at most ${this.maxBatchItems} images (got ${inputs.length}).`, {
        field: 'inputs',
      });
    // Uploads come one to a request: every item names its source.
    const unnamed = inputs.findIndex((input) => !input.sourceURI);
    if (unnamed >= 0) throw missingParameter(`inputs[${unnamed}].sourceURI`);
    const results: BatchItemView[] = new Array(inputs.length);
    let next = 0;
    const worker = async () => {
      while (next < inputs.length) {
        const i = next++;
        const input = inputs[i];
        try {
          await mayDetect(input.projectName);
          results[i] = { sourceURI: input.sourceURI!, result: await this.detect(input, `${requestId}-${i}`), error: null };
        } catch (error) {
          if (!(error instanceof ApiError)) logger.error({ err: error, item: i }, 'batch item failed unexpectedly');
          const apiError =
            error instanceof ApiError
              ? error
              : new ApiError('InternalError', 'An internal error occurred. Quote the request id when reporting it.');
          results[i] = { sourceURI: input.sourceURI!, result: null, error: { code: apiError.code, message: apiError.message } };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, inputs.length) }, worker));
    return results;
  }
}
