import { readServicesState } from '../../tools/services/serviceUrls';
import { createSearchClient } from '../../src/search/elasticsearchClient';
import { imageAlias } from '../../src/search/imageIndex';
import { sharedDir, sharedImage } from '../support/sharedData';
import { startTestServer, TestServer, uniqueName } from '../support/testServer';

// Object labels carry their boxes (Rekognition's Instances), stored, indexed and searchable by count:
// the real models on real photos, Postgres and Elasticsearch.
const LABEL_FIELDS = 'labelId labelLevel instances { confidence boundingBox { left top width height } }';
const DETECT = `mutation($input: DetectImageLabelsInput!) { detectImageLabels(input: $input) { image { id } labels { ${LABEL_FIELDS} } } }`;
const SEARCH = `query($p: String!, $f: SearchImagesFilter) { searchImages(projectName: $p, filter: $f, first: 10) {
  totalCount nodes { sourceURI labels(language: EN) { ${LABEL_FIELDS} } } } }`;

interface Instance {
  confidence: number;
  boundingBox: { left: number; top: number; width: number; height: number };
}
interface Label {
  labelId: string;
  labelLevel: number;
  instances: Instance[];
}

const project = uniqueName('instances');
let server: TestServer;
const search = createSearchClient(readServicesState().elasticsearch?.url ?? 'http://127.0.0.1:9200');
const detected: Record<string, { id: string; labels: Label[] }> = {};

const uriOf = (file: string) => `file://${sharedImage(file)}`;
const byId = (labels: Label[], id: string) => labels.find((l) => l.labelId === id);

beforeAll(async () => {
  server = await startTestServer({ FILE_ROOTS: `${sharedDir}/images` });
  await server.gql(
    'mutation($n: String!, $r: String!) { createProject(input: { name: $n, defaultThreshold: 0.5, sources: { fileRoots: [$r] } }) { name } }',
    {
      n: project,
      r: `${sharedDir}/images`,
    },
  );
  for (const file of ['darknet/horses.jpg', 'darknet/person.jpg', 'photos/coffee.png']) {
    const { body } = await server.gql(DETECT, { input: { projectName: project, sourceURI: uriOf(file), language: 'EN' } });
    expect(body.errors).toBeUndefined();
    detected[file] = { id: body.data!.detectImageLabels.image.id, labels: body.data!.detectImageLabels.labels };
  }
  // The relay indexes them.
  server.relay.kick();
  const alias = imageAlias(process.env.ES_INDEX_PREFIX!);
  const ids = Object.values(detected).map((d) => d.id);
  for (let i = 0; i < 100; i += 1) {
    await search.indices.refresh({ index: alias });
    if ((await search.count({ index: alias, query: { terms: { imageId: ids } } })).count === ids.length) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the relay did not index the images');
});

afterAll(async () => {
  await server.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: project });
  await search.close();
  await server.close();
});

describe('instances', () => {
  it('boxes every horse of a herd, most confident first, inside the image', () => {
    const horse = byId(detected['darknet/horses.jpg'].labels, 'horse');
    expect(horse).toBeDefined();
    // The photo shows four horses; the detector may merge or miss the one half hidden.
    expect(horse!.instances.length).toBeGreaterThanOrEqual(3);
    const confidences = horse!.instances.map((i) => i.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    for (const { boundingBox: b } of horse!.instances) {
      expect(b.left + b.width).toBeLessThanOrEqual(1);
      expect(b.top + b.height).toBeLessThanOrEqual(1);
      expect(b.width * b.height).toBeGreaterThan(0.005);
    }
    // Boxes are the label's own: its parents, and labels no detector boxed, have none.
    const animalLabels = detected['darknet/horses.jpg'].labels.filter((l) => l.labelLevel === 1);
    expect(animalLabels.every((l) => l.instances.length === 0)).toBe(true);
  });

  it('places the person, the dog and the horse of one photo apart', () => {
    const labels = detected['darknet/person.jpg'].labels;
    const [person, dog, horse] = ['person', 'dog', 'horse'].map((id) => byId(labels, id)?.instances[0]?.boundingBox);
    expect(person && dog && horse).toBeTruthy();
    // darknet's person.jpg: a dog on the left, the person in the middle, the horse on the right.
    expect(dog!.left + dog!.width / 2).toBeLessThan(person!.left + person!.width / 2);
    expect(person!.left + person!.width / 2).toBeLessThan(horse!.left + horse!.width / 2);
  });

  it('are stored: the image read back has the same boxes', async () => {
    const { id, labels } = detected['darknet/horses.jpg'];
    const { body } = await server.gql(`query($id: ID!) { image(id: $id) { labels(language: EN) { ${LABEL_FIELDS} } } }`, { id });
    expect(byId(body.data!.image.labels, 'horse')).toEqual(byId(labels, 'horse'));
  });

  it('minInstances finds the herd, not the lone horse; search hits show the boxes', async () => {
    const herd = await server.gql(SEARCH, { p: project, f: { anyOf: ['horse'], minInstances: 3 } });
    expect(herd.body.errors).toBeUndefined();
    expect(herd.body.data!.searchImages.nodes.map((n: { sourceURI: string }) => n.sourceURI)).toEqual([uriOf('darknet/horses.jpg')]);
    expect(byId(herd.body.data!.searchImages.nodes[0].labels, 'horse')).toEqual(byId(detected['darknet/horses.jpg'].labels, 'horse'));
    const any = await server.gql(SEARCH, { p: project, f: { anyOf: ['horse'], minInstances: 1 } });
    expect(any.body.data!.searchImages.totalCount).toBe(2);
    // Labels with no boxes (the coffee photo's) never meet a count.
    const cups = await server.gql(SEARCH, { p: project, f: { anyOf: ['espresso'], minInstances: 1 } });
    expect(cups.body.data!.searchImages.totalCount).toBe(0);
  });

  it('free text finds the horses in either language, as a label filter does', async () => {
    const TEXT = 'query($p: String!, $t: String) { searchImages(projectName: $p, text: $t, first: 10) { totalCount } }';
    for (const text of ['horse', '马', 'horses']) {
      const { body } = await server.gql(TEXT, { p: project, t: text });
      expect(body.errors).toBeUndefined();
      expect({ text, found: body.data!.searchImages.totalCount }).toEqual({ text, found: 2 });
    }
  });

  it.each([0, -1, 1.5, 1001])('minInstances %p is InvalidArgument', async (minInstances) => {
    const { body } = await server.gql(SEARCH, { p: project, f: { anyOf: ['horse'], minInstances } });
    expect(body.errors![0].extensions.code).toBe('InvalidArgument');
  });
});
