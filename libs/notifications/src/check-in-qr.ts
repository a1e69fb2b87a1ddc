import QRCode from 'qrcode';

/** The check-in code as a QR image (PNG) for the confirmation letter: what the check-in desk scans. */
export function checkInQr(code: string): Promise<Buffer> {
  return QRCode.toBuffer(code, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 240 });
}
