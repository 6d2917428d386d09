// `npx labelgate detect FILE [options]`: labels an image locally and prints IMM-shaped JSON.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env';
import { loadDetectionEngine } from '../detection/detectionSetup';
import type { DetectionResult } from '../detection/labelDetector';
import { ApiError } from '../errors';

const USAGE = `Usage: labelgate detect FILE [FILE...] [options]
  --language zh-Hans|en        label language (default zh-Hans, as IMM)
  --threshold 0..1             confidence threshold (default 0.5)
  --max-labels N               at most N labels (default 100)
  --include a,b                only these labels (ids or names, either language) and their children
  --exclude a,b                not these labels nor their children
  --include-categories a,b     only labels in these level-1 categories
  --exclude-categories a,b     not labels in these categories
  --model-dir DIR[,DIR]        model pack folder(s) (default: MODEL_DIR, the pulled CLIP pack, ../shared/models)`;

const list = (value: string | undefined) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

/** IMM's DetectImageLabels response shape (PascalCase), plus what Labelgate adds. */
export function immResponse(result: DetectionResult, requestId: string) {
  return {
    RequestId: requestId,
    Labels: result.labels.map((label) => ({
      Language: label.language,
      LabelName: label.labelName,
      LabelLevel: label.labelLevel,
      LabelConfidence: label.labelConfidence,
      ParentLabelName: label.parentLabelName ?? '',
      CentricScore: label.centricScore,
      LabelAlias: label.labelAlias.join(','),
      LabelId: label.labelId,
      // Rekognition's shape: boxes as shares of the image.
      ...(label.instances.length
        ? {
            Instances: label.instances.map((i) => ({
              Confidence: i.confidence,
              BoundingBox: { Left: i.boundingBox.left, Top: i.boundingBox.top, Width: i.boundingBox.width, Height: i.boundingBox.height },
            })),
          }
        : {}),
    })),
    ImageWidth: result.image.width,
    ImageHeight: result.image.height,
    ModelVersion: result.modelVersion,
    TaxonomyVersion: result.taxonomyVersion,
  };
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      language: { type: 'string' },
      threshold: { type: 'string' },
      'max-labels': { type: 'string' },
      include: { type: 'string' },
      exclude: { type: 'string' },
      'include-categories': { type: 'string' },
      'exclude-categories': { type: 'string' },
      'model-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...files] = positionals;
  if (values.help || command !== 'detect' || files.length === 0) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const language = values.language ?? 'zh-Hans';
  if (language !== 'zh-Hans' && language !== 'en') throw new ApiError('InvalidArgument', `--language must be zh-Hans or en (got ${language}).`);

  const config = loadConfig({ ...process.env, ...(values['model-dir'] ? { MODEL_DIR: values['model-dir'] } : {}) });
  const engine = await loadDetectionEngine(config);
  try {
    const outputs = [];
    for (const file of files) {
      const result = await engine.detector.detect(readFileSync(file), {
        threshold: values.threshold === undefined ? 0.5 : Number(values.threshold),
        maxLabels: values['max-labels'] === undefined ? undefined : Number(values['max-labels']),
        language,
        includeLabels: list(values.include),
        excludeLabels: list(values.exclude),
        includeCategories: list(values['include-categories']),
        excludeCategories: list(values['exclude-categories']),
      });
      outputs.push(immResponse(result, randomUUID().toUpperCase()));
    }
    console.log(JSON.stringify(outputs.length === 1 ? outputs[0] : outputs, null, 2));
    return 0;
  } finally {
    await engine.close();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof ApiError) console.error(`${error.code}: ${error.message}`);
    else if ((error as NodeJS.ErrnoException).code === 'ENOENT') console.error(`InvalidArgument: ${(error as Error).message}`);
    else console.error(`labelgate: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
