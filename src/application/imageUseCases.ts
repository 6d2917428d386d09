import type { LabelLanguage } from '../vocabulary';
import type { ImageDeliveryService } from '../delivery/imageDeliveryService';
import type { DetectionTaxonomy } from '../detection/labelDetector';
import type { ImageService } from '../images/imageService';
import { ConnectionView, connectionOf } from './connection';
import { ImageView, imageViewOf, LabelView, labelsOf } from './imageViews';

/** Stored images: read, list and delete them, name their labels, and give URLs of their bytes. */
export class ImageUseCases {
  constructor(
    private readonly images: ImageService,
    private readonly delivery: ImageDeliveryService,
    private readonly names: DetectionTaxonomy,
  ) {}

  async get(id: string): Promise<ImageView> {
    return imageViewOf(await this.images.get(id));
  }

  /** The image, or null when it is gone (a live event may outrun a delete). */
  async find(id: string): Promise<ImageView | null> {
    const image = await this.images.find(id);
    return image && imageViewOf(image);
  }

  async list(projectName: string, first: number | null | undefined, after: string | null | undefined): Promise<ConnectionView<ImageView>> {
    const page = await this.images.list(projectName, first, after);
    return connectionOf(page, imageViewOf, (row) => this.images.cursorOf(row));
  }

  async delete(id: string): Promise<ImageView> {
    return imageViewOf(await this.images.delete(id));
  }

  labels(image: ImageView, language: LabelLanguage): LabelView[] {
    return labelsOf(image, language, this.names);
  }

  originalUrl(image: ImageView, baseUrl: string, expiresInSeconds?: number | null): Promise<string | null> {
    return this.delivery.originalUrl({ id: image.id }, baseUrl, expiresInSeconds);
  }

  thumbnailUrl(image: ImageView, baseUrl: string, size?: number | null, expiresInSeconds?: number | null): string {
    return this.delivery.thumbnailUrl({ id: image.id }, baseUrl, size, expiresInSeconds);
  }
}
