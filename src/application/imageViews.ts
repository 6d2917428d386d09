import type { LabelLanguage } from '../vocabulary';
import { inListingOrder, strongestReportedFirst } from '../detection/labelAssembler';
import type { LabelInstance } from '../detection/recognizer';
import { ImageWithLabels, storedLabelOf } from '../persistence/imageRecords';
import { ImageFacts, imageFacts, IndexedImage } from '../search/imageDocument';
import { DetectedLabel, describeLabel, LabelNames } from '../taxonomy/labelNaming';

/** A stored label before it is named in a language. */
export interface LabelScoreView {
  labelId: string;
  confidence: number;
  centricScore: number;
  instances?: LabelInstance[];
}

/** A stored image as the API shows it, with its label scores (named when read, in the language asked). */
export interface ImageView extends ImageFacts {
  id: string;
  projectName: string;
  sourceURI: string;
  detectedAt: Date;
  createdAt: Date;
  labelRows: LabelScoreView[];
}

/** A label as IMM reports it, with its clips (none for an image). */
export type LabelView = DetectedLabel & { clips: { timeRange: number[] }[] };

export function imageViewOf(image: ImageWithLabels): ImageView {
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
export function imageViewOfIndexed(image: IndexedImage): ImageView {
  return {
    id: image.imageId,
    projectName: image.projectName,
    sourceURI: image.sourceUri,
    ...imageFacts(image),
    detectedAt: new Date(image.detectedAt),
    createdAt: new Date(image.createdAt),
    labelRows: image.labels.map((label) => ({
      labelId: label.id,
      confidence: label.confidence,
      centricScore: label.centricScore,
      instances: label.instances ?? [],
    })),
  };
}

const NO_CLIPS: readonly LabelView['clips'][number][] = Object.freeze([]);
/** The label with IMM's clips (none for an image), completed in place: a search page has hundreds. */
export const withClips = (label: DetectedLabel): LabelView => {
  (label as LabelView).clips = NO_CLIPS as LabelView['clips'];
  return label as LabelView;
};

/**
 * An image's labels named in a language, listed as detectImageLabels lists them: the most specific
 * first, strongest first, then the parents they imply. Named first, then ordered on the reported
 * values: a search page lists a few hundred labels.
 */
export function labelsOf(
  image: ImageView,
  language: LabelLanguage,
  names: LabelNames & { ancestors(id: string): readonly { id: string }[] },
): LabelView[] {
  const labels = image.labelRows.map((row) => withClips(describeLabel(names, row, language)));
  return inListingOrder(
    labels,
    (label) => label.labelId,
    (id) => names.ancestors(id),
    (label) => label.labelLevel,
    strongestReportedFirst,
  );
}
