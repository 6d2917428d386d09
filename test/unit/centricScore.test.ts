import { centricFromBox } from '../../src/detection/centricScore';
import { boundingBoxOf, decodeYolox, nonMaximumSuppression } from '../../src/detection/backends/yoloxDetector';
import { instancesOf, LabelEvidence } from '../../src/detection/recognizer';
import { placeOnBoxes } from '../../src/detection/subjectPlacement';

describe('CentricScore formulas', () => {
  it('a large centred box scores near 1, a small corner box near 0', () => {
    expect(centricFromBox({ x1: 100, y1: 100, x2: 540, y2: 380 }, 640, 480)).toBeGreaterThan(0.9);
    expect(centricFromBox({ x1: 0, y1: 0, x2: 64, y2: 48 }, 640, 480)).toBeLessThan(0.1);
    expect(centricFromBox({ x1: 700, y1: 0, x2: 800, y2: 10 }, 640, 480)).toBe(0);
  });

  it('a box as shares of the image, clipped to it', () => {
    expect(boundingBoxOf({ x1: 160, y1: 120, x2: 480, y2: 360 }, 640, 480)).toEqual({ left: 0.25, top: 0.25, width: 0.5, height: 0.5 });
    expect(boundingBoxOf({ x1: -20, y1: 400, x2: 100, y2: 520 }, 640, 480)).toEqual({
      left: 0,
      top: 0.8333,
      width: 0.1563,
      height: 0.1667,
    });
  });
});

describe('Classifier labels placed on detector boxes', () => {
  // cat > tabby (ImageNet) under animal; dog under animal; kitchen elsewhere.
  const parents: Record<string, string | null> = { animal: null, cat: 'animal', tabby: 'cat', dog: 'animal', kitchen: null };
  const taxonomy = {
    ancestors(id: string) {
      const chain: { id: string }[] = [];
      for (let p = parents[id]; p; p = parents[p]) chain.push({ id: p });
      return chain;
    },
  };
  const box = { confidence: 0.8, boundingBox: { left: 0, top: 0, width: 0.2, height: 0.2 } };
  const detector: LabelEvidence[] = [{ labelId: 'cat', confidence: 0.8, centricScore: 0.1, instances: 1, boxes: [box] }];
  const estimate = (labelId: string, confidence: number): LabelEvidence => ({
    labelId,
    confidence,
    centricScore: confidence,
    centricEstimated: true,
  });

  it('a narrower, the same or a broader label takes the box; an unrelated one keeps its estimate', () => {
    const [, classifier] = placeOnBoxes(
      [detector, [estimate('tabby', 0.9), estimate('cat', 0.95), estimate('animal', 0.97), estimate('dog', 0.3), estimate('kitchen', 0.6)]],
      taxonomy,
    );
    const centric = Object.fromEntries(classifier.map((e) => [e.labelId, e.centricScore]));
    expect(centric).toEqual({ tabby: 0.1, cat: 0.1, animal: 0.1, dog: 0.3, kitchen: 0.6 });
    expect(classifier.find((e) => e.labelId === 'tabby')!.centricEstimated).toBeUndefined();
    expect(classifier.find((e) => e.labelId === 'dog')!.centricEstimated).toBe(true);
  });

  it('without boxes nothing moves', () => {
    const lists = [[estimate('tabby', 0.9)]];
    expect(placeOnBoxes(lists, taxonomy)).toBe(lists);
  });

  it('reads stored instances back, dropping what is malformed', () => {
    expect(instancesOf([box, { confidence: 2, boundingBox: box.boundingBox }, { confidence: 0.5 }, null])).toEqual([box]);
    expect(instancesOf('[]')).toEqual([]);
  });
});

describe('YOLOX post-processing', () => {
  it('decodes an anchor on the stride-8 grid into a box and keeps the best of overlapping boxes', () => {
    const classes = 2;
    const anchors = 52 * 52 + 26 * 26 + 13 * 13;
    const output = new Float32Array(anchors * (5 + classes));
    const put = (anchor: number, values: number[]) => output.set(values, anchor * (5 + classes));
    // Anchor (gx=3, gy=2) on the stride-8 grid: centre (3.5+... ) with w = h = e^1 * 8.
    put(2 * 52 + 3, [0.5, 0.5, 1, 1, 0.9, 0.1, 0.8]);
    put(2 * 52 + 4, [-0.5, 0.5, 1, 1, 0.8, 0.1, 0.7]);
    const boxes = decodeYolox(output, 416, classes, 0.05);
    expect(boxes).toHaveLength(2);
    expect(boxes[0]).toMatchObject({ classIndex: 1 });
    expect((boxes[0].x1 + boxes[0].x2) / 2).toBeCloseTo(28);
    expect(boxes[0].x2 - boxes[0].x1).toBeCloseTo(Math.E * 8);
    const kept = nonMaximumSuppression(boxes, 0.45);
    expect(kept).toHaveLength(1);
    expect(kept[0].score).toBeCloseTo(0.72);
  });
});
