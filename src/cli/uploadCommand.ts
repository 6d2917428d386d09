import { LabelLanguage } from '../vocabulary';
import type { DetectedLabel } from '../taxonomy/labelNaming';
import { apiTarget, callApi } from './apiClient';

const DETECT = `mutation($input: DetectImageLabelsInput!, $file: Upload!) { detectImageLabels(input: $input, file: $file) {
  requestId image { id sourceURI width height modelVersion taxonomyVersion }
  labels { language labelId labelName labelLevel labelConfidence parentLabelId parentLabelName centricScore labelAlias instances { confidence boundingBox { left top width height } } } } }`;

interface UploadPayload {
  requestId: string;
  image: { id: string; sourceURI: string; width: number; height: number; modelVersion: string; taxonomyVersion: string };
  /** As GraphQL names them: the language by its enum name (EN, ZH_HANS). */
  labels: (Omit<DetectedLabel, 'language'> & { language: keyof typeof LabelLanguage })[];
}

/** What an upload answers, in the shape `labelgate detect` prints (immResponse's input). */
export interface UploadedDetection {
  requestId: string;
  imageId: string;
  sourceUri: string;
  result: { labels: DetectedLabel[]; image: { width: number; height: number }; modelVersion: string; taxonomyVersion: string };
}

export interface UploadOptions {
  project: string;
  url?: string;
  key?: string;
}

/**
 * `labelgate detect FILE --upload --project P`: sends the photo to a Labelgate server in the
 * request, which labels it and keeps it in the project's upload folder.
 */
export async function uploadFile(path: string, detect: Record<string, unknown>, options: UploadOptions): Promise<UploadedDetection> {
  const target = apiTarget(options.url, options.key);
  const input = { projectName: options.project, ...detect };
  const { detectImageLabels: payload } = await callApi<{ detectImageLabels: UploadPayload }>(target, DETECT, { input }, 120_000, {
    variable: 'file',
    path,
  });
  const { image } = payload;
  return {
    requestId: payload.requestId,
    imageId: image.id,
    sourceUri: image.sourceURI,
    result: {
      labels: payload.labels.map((label) => ({ ...label, language: LabelLanguage[label.language] })),
      image: { width: image.width, height: image.height },
      modelVersion: image.modelVersion,
      taxonomyVersion: image.taxonomyVersion,
    },
  };
}
