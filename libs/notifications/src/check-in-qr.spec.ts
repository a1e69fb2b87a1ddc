import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { checkInQr } from './check-in-qr';

describe('checkInQr', () => {
  it.each(['K7Q2M9XD', '0000002A', 'ZZZZZZZZ'])(
    'draws %s as a grayscale PNG that a scanner reads back',
    (code) => {
      const png = PNG.sync.read(checkInQr(code));
      expect(png.colorType).toBe(0);
      expect(png.width).toBe(png.height);
      expect(png.width).toBeLessThanOrEqual(240);
      expect(png.width).toBeGreaterThan(200);
      expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(code);
    },
  );

  it('draws every module the same whole number of pixels, inside a white quiet zone', () => {
    const png = PNG.sync.read(checkInQr('K7Q2M9XD'));
    const dark = (x: number, y: number) => png.data[(y * png.width + x) * 4] === 0;
    // A version 1 symbol (21 modules) with two modules of margin on each side: 25 modules of 9 pixels.
    expect(png.width).toBe(25 * 9);
    for (let i = 0; i < 2 * 9; i++) expect([dark(i, 100), dark(100, i)]).toEqual([false, false]);
    // The finder pattern's top-left corner is dark from its first pixel to the end of its module.
    for (let i = 0; i < 9; i++) expect(dark(18 + i, 18)).toBe(true);
  });
});
