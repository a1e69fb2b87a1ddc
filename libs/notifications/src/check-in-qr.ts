import { PNG } from 'pngjs';
import QRCode from 'qrcode';

/** The quiet zone round the symbol, in modules. */
const MARGIN = 2;
/** The image's side at most, in pixels: every module is drawn the same whole number of pixels wide. */
const MAX_WIDTH = 240;

/**
 * The check-in code as a QR image (PNG) for the confirmation letter: what the check-in desk scans. qrcode gives the
 * symbol's modules and pngjs writes them as an 8-bit grayscale image, every row with the Up filter (a module's rows
 * repeat). qrcode's own PNG renderer draws RGBA and tries five filters on every row: about ten times the CPU, and a
 * rush of confirmations draws one a seat.
 */
export function checkInQr(code: string): Buffer {
  const { modules } = QRCode.create(code, { errorCorrectionLevel: 'M' });
  const side = modules.size + 2 * MARGIN;
  const scale = Math.max(1, Math.floor(MAX_WIDTH / side));
  const width = side * scale;
  const data = Buffer.alloc(width * width, 0xff);
  for (let row = 0; row < modules.size; row++)
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue;
      const left = (col + MARGIN) * scale;
      for (let y = (row + MARGIN) * scale; y < (row + MARGIN + 1) * scale; y++)
        data.fill(0, y * width + left, y * width + left + scale);
    }
  // A PNG of no size allocates no RGBA buffer: the grayscale pixels take its place.
  const image = Object.assign(new PNG({ width: 0, height: 0 }), { width, height: width, data });
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false, filterType: 2 });
}
