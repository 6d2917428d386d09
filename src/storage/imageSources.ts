import { IMAGE_LIMITS } from '../detection/imageDecoder';
import { FileSource } from './fileSource';
import { HttpsSource, HttpsSourceOptions } from './httpsSource';
import { ObjectSource } from './objectSource';
import { parseSourceUri } from './sourceUri';
import type { StorageConfig } from './storageConfig';

export interface ImageSourcesOptions {
  storage: StorageConfig;
  fileRoots: string[];
  https: Omit<HttpsSourceOptions, 'maxBytes'>;
  /** Deadline of one oss:// or s3:// read. */
  storageTimeoutMs?: number;
}

/** sourceURI → image bytes, whichever scheme it uses; every reader enforces IMM's 20 MB limit. */
export class ImageSources {
  private readonly objects: ObjectSource;
  private readonly files: FileSource;
  private readonly web: HttpsSource;

  constructor(options: ImageSourcesOptions, private readonly maxBytes = IMAGE_LIMITS.maxBytes) {
    this.objects = new ObjectSource(options.storage, options.storageTimeoutMs);
    this.files = new FileSource(options.fileRoots);
    this.web = new HttpsSource({ ...options.https, maxBytes });
  }

  async read(sourceUri: string, credentialConfig?: string | null): Promise<Buffer> {
    const source = parseSourceUri(sourceUri);
    switch (source.kind) {
      case 'object':
        return this.objects.read(source.scheme, source.bucket, source.key, this.maxBytes, credentialConfig);
      case 'file':
        return this.files.read(source.path, this.maxBytes);
      case 'https':
        return this.web.read(source.url);
    }
  }

  close(): void {
    this.objects.close();
  }
}
