import type { DecodedImage } from './imageDecoder';

/**
 * What about an input makes the models' word less (or more) reliable than on the colour photos they
 * were trained on. Calibration (sourceCalibration.ts) shifts each source's confidences by these, so a
 * black-and-white or thumbnail-sized photo is labeled on purpose rather than as a colour photo.
 */
export interface InputCondition {
  /** Black-and-white photos (scans with a cast included): no colour worth the name. */
  grayscale: boolean;
  /** Photos whose longest side is below LOW_RESOLUTION_SIDE pixels. */
  lowResolution: boolean;
}

/** Below this longest side a photo has fewer pixels than the classifiers' 224-pixel input wants. */
export const LOW_RESOLUTION_SIDE = 320;

/**
 * Colour left once a tint that follows brightness is taken out, in RGB levels (0..255), below which
 * a photo counts as grayscale: a black-and-white photo, a scan with a colour cast, or a colour photo
 * with hardly any colour in it (snow, steel on white), which the models see as much the same.
 */
export const GRAYSCALE_RESIDUAL = 6;

/** Pixels sampled for the estimate: enough for a stable figure, cheap beside a decode. */
const SAMPLES = 4096;

/** What is left of a colour difference's variance once its line through brightness is taken out. */
const unexplained = (n: number, y: number, yy: number, d: number, dd: number, dy: number) => {
  const varY = yy / n - (y / n) ** 2;
  const varD = dd / n - (d / n) ** 2;
  const cov = dy / n - (d / n) * (y / n);
  return Math.max(0, varY > 0 ? varD - (cov * cov) / varY : varD);
};

/** How far a photo's colour differs from one tint that follows its brightness (RMS, RGB levels). */
export function colourResidual(rgb: Uint8Array): number {
  const pixels = Math.floor(rgb.length / 3);
  const step = Math.max(1, Math.floor(pixels / SAMPLES));
  const sum = { n: 0, y: 0, yy: 0, u: 0, uu: 0, uy: 0, v: 0, vv: 0, vy: 0 };
  for (let p = 0; p < pixels; p += step) {
    const [r, g, b] = [rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]];
    const y = (r + g + b) / 3;
    const [u, v] = [r - g, g - b];
    sum.n++;
    sum.y += y;
    sum.yy += y * y;
    sum.u += u;
    sum.uu += u * u;
    sum.uy += u * y;
    sum.v += v;
    sum.vv += v * v;
    sum.vy += v * y;
  }
  if (sum.n === 0) return 0;
  return Math.sqrt(unexplained(sum.n, sum.y, sum.yy, sum.u, sum.uu, sum.uy) + unexplained(sum.n, sum.y, sum.yy, sum.v, sum.vv, sum.vy));
}

export function inputConditionOf(image: Pick<DecodedImage, 'rgb' | 'width' | 'height'>): InputCondition {
  return {
    grayscale: colourResidual(image.rgb) < GRAYSCALE_RESIDUAL,
    lowResolution: Math.max(image.width, image.height) < LOW_RESOLUTION_SIDE,
  };
}
