import { centricFromBox, centricFromViews } from '../../src/detection/centricScore';
import { decodeYolox, nonMaximumSuppression } from '../../src/detection/backends/yoloxDetector';

describe('CentricScore formulas', () => {
  it('a large centred box scores near 1, a small corner box near 0', () => {
    expect(centricFromBox({ x1: 100, y1: 100, x2: 540, y2: 380 }, 640, 480)).toBeGreaterThan(0.9);
    expect(centricFromBox({ x1: 0, y1: 0, x2: 64, y2: 48 }, 640, 480)).toBeLessThan(0.1);
    expect(centricFromBox({ x1: 700, y1: 0, x2: 800, y2: 10 }, 640, 480)).toBe(0);
  });

  it('views: seen everywhere → 1; seen only by a tile → low', () => {
    expect(centricFromViews(0.9, 0.9, [0.5, 0.5, 0.5, 0.5])).toBeCloseTo(1);
    expect(centricFromViews(0.1, 0, [0.9, 0, 0, 0])).toBeLessThan(0.1);
    expect(centricFromViews(0, 0, [0, 0, 0, 0])).toBe(0);
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
