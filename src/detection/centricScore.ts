// CentricScore: how much a label is the main subject of the image (0..1). See docs/centric-score.md.

/**
 * From a detector's best box: big and near the centre → near 1. The size term saturates when the
 * box covers about half the image; the centre term halves the score for a box centred in a corner.
 */
export function centricFromBox(box: { x1: number; y1: number; x2: number; y2: number }, width: number, height: number): number {
  const x1 = Math.max(0, box.x1);
  const y1 = Math.max(0, box.y1);
  const x2 = Math.min(width, box.x2);
  const y2 = Math.min(height, box.y2);
  if (x2 <= x1 || y2 <= y1) return 0;
  const area = ((x2 - x1) * (y2 - y1)) / (width * height);
  const dx = (x1 + x2) / 2 / width - 0.5;
  const dy = (y1 + y2) / 2 / height - 0.5;
  const offCentre = Math.min(1, Math.sqrt((dx * dx + dy * dy) / 0.5));
  const size = Math.min(1, Math.sqrt(area) / 0.7);
  return clamp01(size * (1 - 0.5 * offCentre));
}

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));
