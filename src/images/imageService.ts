import { ApiError, invalidArgument } from '../api/errors';
import type { DetectionResult, DetectRequest, LabelDetector } from '../detection/labelDetector';
import type { DetectedLabel } from '../taxonomy/labelNaming';
import type { DetectionRecord, ImageWithLabels } from '../persistence/imageRecords';
import { ImageRepository } from '../persistence/imageRepository';
import { checkPageSize } from '../api/paging';
import type { ProjectDirectory } from '../projects/projectDirectory';
import { checkProjectName, checkThreshold } from '../projects/projectRules';
import type { ImageSources } from '../storage/imageSources';
import { parseSourceUri } from '../storage/sourceUri';
import type { LiveTopics } from '../live/liveTopics';
import { parseSourcePrefix } from '../storage/sourcePrefix';
import { ImageUpload, noUploadFolder, openUpload, readUpload, uploadNameOf } from './imageUpload';

/** detectImageLabels' request: where the image is, and the detector's options (threshold: the project's when left out). */
export interface DetectImageLabelsRequest extends Omit<DetectRequest, 'threshold'> {
  projectName?: string | null;
  sourceUri?: string | null;
  credentialConfig?: string | null;
  threshold?: number | null;
}

/** The detector's options of a request: its filters, with the threshold in force. */
export const detectRequestOf = (request: DetectImageLabelsRequest, threshold: number): DetectRequest => ({
  threshold,
  maxLabels: request.maxLabels,
  language: request.language,
  includeLabels: request.includeLabels,
  excludeLabels: request.excludeLabels,
  includeCategories: request.includeCategories,
  excludeCategories: request.excludeCategories,
});

/** A detection as it is stored: the image's facts, its labels, embedding, versions and timings. */
export const detectionRecordOf = (
  result: DetectionResult,
  project: { id: string; name: string },
  sourceUri: string,
  requestId: string,
  credentialConfig?: string | null,
): DetectionRecord => ({
  project,
  sourceUri,
  credentialConfig,
  requestId,
  image: {
    sha256: result.image.sha256,
    width: result.image.width,
    height: result.image.height,
    format: result.image.format,
    bytes: result.image.bytes,
  },
  labels: result.labels.map((l) => ({
    labelId: l.labelId,
    confidence: l.labelConfidence,
    centricScore: l.centricScore,
    instances: l.instances,
  })),
  embedding: result.embedding && { model: result.embedding.model, vector: Array.from(result.embedding.vector) },
  modelVersion: result.modelVersion,
  taxonomyVersion: result.taxonomyVersion,
  timings: { decodeMs: result.timings.decodeMs, inferenceMs: result.timings.queueAndInferenceMs, totalMs: result.timings.totalMs },
});

export interface DetectImageLabelsResult {
  requestId: string;
  image: ImageWithLabels;
  labels: DetectedLabel[];
}

export interface IndexingKick {
  kick(): void;
}

/** Where labelled images are announced (live subscriptions). */
export interface LabeledImageFeed {
  publish(topic: 'imageLabeled', event: LiveTopics['imageLabeled']): Promise<void>;
}

/**
 * IMM's DetectImageLabels, and more: every check (the project's sources too) runs before any byte is read; then the image is
 * read from its source, labelled, and stored with its labels in one transaction (Postgres is the
 * source of truth); the outbox relay indexes it for search.
 */
export class ImageService {
  constructor(
    private readonly projects: ProjectDirectory,
    private readonly images: ImageRepository,
    private readonly sources: ImageSources,
    private readonly detector: LabelDetector | null,
    private readonly indexing: IndexingKick,
    private readonly feed: LabeledImageFeed | null = null,
  ) {}

  private requireDetector(): LabelDetector {
    if (!this.detector)
      throw new ApiError(
        'ServiceUnavailable',
        'No model is loaded on this server: run `npm run model:pull` or set MODEL_DIR, then restart.',
      );
    return this.detector;
  }

  async detect(request: DetectImageLabelsRequest, requestId: string): Promise<DetectImageLabelsResult> {
    const detector = this.requireDetector();
    const projectName = checkProjectName(request.projectName, 'projectName');
    const source = parseSourceUri(request.sourceUri);
    const sourceUri = source.uri;
    const threshold = checkThreshold(request.threshold);
    const project = await this.projects.get(projectName);
    // The project's sources decide before any byte is read, from the request alone (AccessDenied).
    const authorized = this.sources.authorize(source, request.credentialConfig, project.sources);
    const detectRequest = detectRequestOf(request, threshold ?? project.defaultThreshold);
    detector.checkRequest(detectRequest);

    const bytes = await this.sources.read(authorized);
    const result = await detector.detect(bytes, detectRequest);
    return this.record(result, project, sourceUri, requestId, request.credentialConfig);
  }

  /**
   * Labels a photo sent with the request, writes it to the project's upload folder (its sources'
   * uploadTo) named by its SHA-256, and stores it as an image whose sourceURI is that place, so it
   * is searched, shown and labelled again like any other. Every check runs before the file is read;
   * it is read under the sources' size limit, and written only once it decoded and was labelled.
   * If its image then cannot be stored, the file stays: it is named by its content, so another
   * request for the same photo may already have stored an image of it, and deleting it would take
   * that image's source away (the next upload of the photo reuses the file).
   */
  async detectUpload(request: DetectImageLabelsRequest, upload: Promise<ImageUpload>, requestId: string): Promise<DetectImageLabelsResult> {
    const stream = await openUpload(upload, this.sources.maxBytes);
    try {
      if (request.sourceUri) throw invalidArgument('Send either sourceURI or a file, not both.', 'sourceURI');
      const detector = this.requireDetector();
      const threshold = checkThreshold(request.threshold);
      const project = await this.projects.get(checkProjectName(request.projectName, 'projectName'));
      const folder = project.sources.uploadTo;
      if (!folder) throw noUploadFolder(project.name);
      this.sources.authorize(parseSourcePrefix(folder, 'uploadTo'), request.credentialConfig, project.sources);
      const detectRequest = detectRequestOf(request, threshold ?? project.defaultThreshold);
      detector.checkRequest(detectRequest);

      const bytes = await readUpload(stream, this.sources.maxBytes);
      const result = await detector.detect(bytes, detectRequest);
      const target = this.sources.authorize(parseSourceUri(folder + uploadNameOf(result.image)), request.credentialConfig, project.sources);
      await this.sources.write(target, bytes, `image/${result.image.format}`);
      return await this.record(result, project, target.source.uri, requestId, request.credentialConfig);
    } finally {
      // Whatever is left of the file (after a refusal) is read and dropped, so the request ends.
      if (!stream.readableEnded) stream.resume();
    }
  }

  /** Stores a detection (image, labels, outbox event) in one transaction, then wakes the relay and tells subscribers. */
  private async record(
    result: DetectionResult,
    project: { id: string; name: string },
    sourceUri: string,
    requestId: string,
    credentialConfig?: string | null,
  ): Promise<DetectImageLabelsResult> {
    const image = await this.images.saveDetection(detectionRecordOf(result, project, sourceUri, requestId, credentialConfig));
    this.indexing.kick();
    void this.feed?.publish('imageLabeled', { projectName: project.name, imageId: image.id, labeledAt: image.detectedAt.toISOString() });
    return { requestId, image, labels: result.labels };
  }

  get(id: string): Promise<ImageWithLabels> {
    return this.images.get(id);
  }

  /** The image, or null when there is none (any more). */
  find(id: string): Promise<ImageWithLabels | null> {
    return this.images.get(id).catch((error: unknown) => {
      if (error instanceof ApiError && error.code === 'ResourceNotFound') return null;
      throw error;
    });
  }

  async list(projectName: string | null | undefined, first: number | null | undefined, after: string | null | undefined) {
    const project = await this.projects.get(checkProjectName(projectName, 'projectName'));
    return this.images.list(project.id, checkPageSize(first), after);
  }

  cursorOf(image: ImageWithLabels): string {
    return this.images.cursorOf(image);
  }

  async delete(id: string): Promise<ImageWithLabels> {
    const image = await this.images.delete(id);
    this.indexing.kick();
    return image;
  }
}
