import type { ModelSession } from '../modelSession';
import { createSession } from '../onnxSession';
import type { ClassifierManifest } from '../packs/manifest';
import type { LoadedPack } from '../packs/packLoader';

/** A classifier's loaded graph and the input and output it is run through. */
export interface ClassifierSession {
  session: ModelSession;
  input: string;
  output: string;
}

/**
 * Loads a classifier pack's graph (on its own thread) and checks the input and output its manifest
 * names (input.name, output) against it, so that a misnamed tensor fails the start rather than
 * every request; the graph's first ones when the manifest names none. Load it last: a session
 * holds a thread that nothing else would end.
 */
export async function openClassifierSession(pack: LoadedPack, manifest: ClassifierManifest, threads?: number): Promise<ClassifierSession> {
  const session = await createSession(pack.file(manifest.files.model.path), threads);
  const pick = (kind: 'input' | 'output', name: string | undefined, names: readonly string[]) => {
    if (name === undefined) return names[0];
    if (!names.includes(name))
      throw new Error(`${pack.manifestPath} names the ${kind} "${name}", but the graph's ${kind}s are ${names.join(', ')}`);
    return name;
  };
  try {
    return {
      session,
      input: pick('input', manifest.input.name, session.inputNames),
      output: pick('output', manifest.output, session.outputNames),
    };
  } catch (error) {
    await session.release();
    throw error;
  }
}

/**
 * What every recognizer on one classifier graph shares: the graph, the pack's name and version, the
 * taxonomy label of each class (null: none), the graph's time, closing it.
 */
export abstract class ClassifierGraph {
  protected constructor(
    protected readonly graph: ClassifierSession,
    protected readonly manifest: ClassifierManifest,
    protected readonly classLabels: (string | null)[],
  ) {}

  get name() {
    return this.manifest.name;
  }
  get version() {
    return this.manifest.version;
  }
  get graphMs() {
    return this.graph.session.graphMs;
  }

  async close(): Promise<void> {
    await this.graph.session.release();
  }
}
