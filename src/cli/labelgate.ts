// `npx labelgate detect FILE [options]`: labels an image locally and prints IMM-shaped JSON.
// `npx labelgate label SOURCE --project P`, `npx labelgate task ID --project P`: labeling tasks on a server.
// `npx labelgate reindex`: rebuilds a server's search index (a ReindexImages task, admin key).
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env';
import { loadDetectionEngine } from '../detection/detectionSetup';
import { IMAGE_LIMITS } from '../detection/imageDecoder';
import type { DetectionResult } from '../detection/labelDetector';
import { ApiError } from '../api/errors';
import { labelCommand, reindexCommand, taskCommand } from './taskCommands';
import { uploadFile } from './uploadCommand';

const USAGE = `Usage: labelgate detect FILE [FILE...] [options]
  Labels images on this machine (no server needed), or with --upload sends them to a server.
  --language zh-Hans|en        label language (default zh-Hans, as IMM)
  --threshold 0..1             confidence threshold (default 0.5)
  --max-labels N               at most N labels (default 100)
  --include a,b                only these labels (ids or names, either language) and their children
  --exclude a,b                not these labels nor their children
  --include-categories a,b     only labels in these level-1 categories
  --exclude-categories a,b     not labels in these categories
  --model-dir DIR[,DIR]        model pack folder(s) (default: MODEL_DIR, the pulled CLIP pack, ../shared/models)
  --upload --project P         send each photo to a Labelgate server instead: it labels it, stores it in
                               the project's upload folder (sources.uploadTo) and makes it searchable;
                               with --url and --key as for label

Usage: labelgate label DIR|oss://bucket/prefix/|s3://bucket/prefix/ --project P [options]
  Creates a labeling task on a Labelgate server and shows its progress until it ends.
  DIR is a folder the server can read (under its FILE_ROOTS and the project's sources).
  --project P                  the project (required)
  --url URL                    the server (default LABELGATE_URL, else http://127.0.0.1:4000)
  --key KEY                    an API key (default LABELGATE_API_KEY, else the local admin key)
  --item-limit N               label at most N images
  --force                      label unchanged images again
  --no-bar                     a line per update instead of a redrawn bar
  and --language, --threshold, --max-labels, --include, --exclude, --include-categories, --exclude-categories

Usage: labelgate task ID [--project P] [--watch] [--url URL] [--key KEY]
  Prints a task (its counts, state and errors), or follows it with --watch.
  Without --project (admin key only): any task, reindex tasks included.

Usage: labelgate reindex [--url URL] [--key ADMIN_KEY] [--watch | --no-watch] [--no-bar]
  Rebuilds the server's search index from its database into a new index, then moves the alias to it
  (searches go on meanwhile): creates a ReindexImages task and, as with --watch (the default), shows
  its progress until it ends. Needs the admin key (AccessDenied otherwise); OperationConflict names
  the reindex already queued or running.
  --no-watch                   print the queued task and exit (follow it with labelgate task ID --watch)
  and --url, --key, --no-bar as for label`;

const list = (value: string | undefined) =>
  value
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

/** What immResponse reads of a detection. */
type ImmSource = Pick<DetectionResult, 'labels' | 'modelVersion' | 'taxonomyVersion'> & {
  image: Pick<DetectionResult['image'], 'width' | 'height'>;
};

/** IMM's DetectImageLabels response shape (PascalCase), plus what Labelgate adds. */
export function immResponse(result: ImmSource, requestId: string) {
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

/**
 * Checks every file named before any model loads or any request goes out: a missing file, a folder
 * or a file over IMM's 20 MB is named at once, not after seconds of loading (or of reading 300 MB).
 */
function checkFiles(files: string[]): void {
  for (const file of files) {
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile())
        throw new ApiError('InvalidArgument', `${file} is not a file (a folder? label a folder with \`labelgate label\`).`);
      size = stat.size;
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('InvalidArgument', `${file}: no such file.`);
    }
    if (size > IMAGE_LIMITS.maxBytes)
      throw new ApiError('LimitExceeded', `${file} has ${size} bytes; an image may have at most ${IMAGE_LIMITS.maxBytes} (20 MB).`);
  }
}

/** A number flag, checked before anything runs. */
function numberFlag(name: string, value: string | undefined, valid: (n: number) => boolean, wants: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !valid(n)) throw new ApiError('InvalidArgument', `--${name} must be ${wants} (got ${value}).`);
  return n;
}

/** --language as GraphQL names it, for every command alike. */
function languageFlag(value: string | undefined): 'zh-Hans' | 'en' {
  const language = value ?? 'zh-Hans';
  if (language !== 'zh-Hans' && language !== 'en')
    throw new ApiError('InvalidArgument', `--language must be zh-Hans or en (got ${language}).`);
  return language;
}

/** parseArgs options of one type, from their names (typed, so that `values` knows each one). */
function options<const T extends 'string' | 'boolean', const N extends string>(type: T, ...names: N[]): { [K in N]: { type: T } } {
  return Object.fromEntries(names.map((name) => [name, { type }])) as { [K in N]: { type: T } };
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      ...options('string', 'language', 'threshold', 'max-labels', 'include', 'exclude', 'include-categories'),
      ...options('string', 'exclude-categories', 'model-dir', 'project', 'url', 'key', 'item-limit'),
      ...options('boolean', 'force', 'watch', 'no-watch', 'no-bar', 'upload'),
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...files] = positionals;
  const threshold = numberFlag('threshold', values.threshold, (n) => n >= 0 && n <= 1, 'a number from 0 to 1');
  const maxLabels = numberFlag(
    'max-labels',
    values['max-labels'],
    (n) => Number.isInteger(n) && n >= 1 && n <= 1000,
    'a whole number from 1 to 1000',
  );
  const language = languageFlag(values.language);
  const detectOptions = () => ({
    threshold,
    maxLabels,
    includeLabels: list(values.include),
    excludeLabels: list(values.exclude),
    includeCategories: list(values['include-categories']),
    excludeCategories: list(values['exclude-categories']),
  });
  const serverOptions = {
    project: values.project,
    url: values.url,
    key: values.key,
    bar: !values['no-bar'] && Boolean(process.stderr.isTTY),
    pollMs: 1000,
  };
  if (!values.help && command === 'reindex' && files.length === 0) return reindexCommand(!values['no-watch'], serverOptions);
  if (!values.help && command === 'task' && files.length === 1) return taskCommand(files[0], Boolean(values.watch), serverOptions);
  if (!values.help && command === 'label' && files.length === 1) {
    if (!values.project) throw new ApiError('MissingParameter', '--project is required.');
    const options = { ...serverOptions, project: values.project };
    const extra = {
      language: values.language === undefined ? undefined : language === 'en' ? 'EN' : 'ZH_HANS',
      itemLimit: values['item-limit'] === undefined ? undefined : Number(values['item-limit']),
      force: values.force,
    };
    return labelCommand(files[0], { ...detectOptions(), ...extra }, options);
  }
  if (values.help || command !== 'detect' || files.length === 0) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  checkFiles(files);
  if (values.upload) {
    if (!values.project) throw new ApiError('MissingParameter', '--project is required with --upload.');
    const outputs = [];
    for (const file of files) {
      const options = { ...detectOptions(), language: language === 'en' ? 'EN' : 'ZH_HANS' };
      const sent = await uploadFile(file, options, { project: values.project, url: values.url, key: values.key });
      outputs.push({ ...immResponse(sent.result, sent.requestId), ImageId: sent.imageId, SourceURI: sent.sourceUri });
    }
    console.log(JSON.stringify(outputs.length === 1 ? outputs[0] : outputs, null, 2));
    return 0;
  }

  const config = loadConfig({ ...process.env, ...(values['model-dir'] ? { MODEL_DIR: values['model-dir'] } : {}) });
  const engine = await loadDetectionEngine(config);
  try {
    const outputs = [];
    for (const file of files) {
      const result = await engine.detector.detect(readFileSync(file), { ...detectOptions(), threshold: threshold ?? 0.5, language });
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
