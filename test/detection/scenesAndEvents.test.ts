import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/env';
import { projectRoot } from '../../src/config/projectRoot';
import { DetectionEngine, loadDetectionEngine } from '../../src/detection/detectionSetup';

// Every default pack (objects, ImageNet, Places365) with the inference rules, on photos of the
// labeled set: scenes and events as IMM returns them, at a project's default threshold.
let engine: DetectionEngine;
beforeAll(async () => {
  engine = await loadDetectionEngine(loadConfig());
});
afterAll(() => engine?.close());

const labelsOf = async (file: string) =>
  (await engine.detector.detect(readFileSync(join(projectRoot, 'eval', 'photos', file)), { threshold: 0.5, language: 'en' })).labels;
const lineage = (id: string) => [id, ...engine.taxonomy.ancestors(id).map((a) => a.id)];

describe('scenes and events on real photos', () => {
  it.each([
    ['scene/s-kitchen-01.jpg', 'kitchen'],
    ['scene/s-kitchen-02.jpg', 'kitchen'],
    ['scene/s-bathroom-01.jpg', 'bathroom'],
    ['event/e-horserace-01.jpg', 'racecourse'],
  ])('%s is a %s', async (file, scene) => {
    expect((await labelsOf(file)).map((l) => l.labelId)).toContain(scene);
  });

  it.each([
    ['event/e-soccer-04.jpg', 'football-match'],
    ['event/e-baseball-01.jpg', 'baseball-game'],
    ['event/e-basketball-03.jpg', 'basketball-game'],
    ['event/e-horserace-01.jpg', 'horse-race'],
    ['event/e-boxing-03.jpg', 'boxing'],
  ])('%s is a sport event: %s', async (file, event) => {
    const labels = await labelsOf(file);
    const found = labels.find((l) => l.labelId === event);
    expect(found).toBeDefined();
    expect(lineage(event)).toEqual([event, 'sport', 'event']);
    // Its group and the event category come with it.
    expect(labels.map((l) => l.labelId)).toEqual(expect.arrayContaining(['sport', 'event']));
  });

  it('a jack-o-lantern is Halloween, a holiday', async () => {
    const labels = await labelsOf('event/e-halloween-03.jpg');
    expect(labels.map((l) => l.labelId)).toEqual(expect.arrayContaining(['halloween', 'holiday', 'event']));
  });

  it('lists a scene or event among the first five labels of a scene or event photo', async () => {
    for (const [file, id] of [
      ['scene/s-kitchen-01.jpg', 'kitchen'],
      ['event/e-soccer-04.jpg', 'football-match'],
    ]) {
      expect((await labelsOf(file)).slice(0, 5).map((l) => l.labelId)).toContain(id);
    }
  });
});
