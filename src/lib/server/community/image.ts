import sharp, { type Metadata } from 'sharp';

/**
 * Images are decoded and encoded again with sharp (libvips, shipped in npm packages for each platform, so nothing
 * is downloaded at install). Re-encoding writes pixels only: EXIF (GPS position, camera, time), XMP, IPTC and ICC
 * metadata are left behind, and whatever else rode along in the file (a script after the image data, a polyglot)
 * does not survive. The EXIF orientation is applied first, so photos stay upright without it. Images larger than
 * MAX_SIDE are scaled down; the pixel limit stops decompression bombs before decoding.
 */
export const MAX_PIXELS = 40_000_000;
const MAX_SIDE = 2560;

sharp.cache(false);

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif';

export type Reencoded =
  | { ok: true; bytes: Buffer; width: number; height: number }
  | { ok: false; code: 'unreadable_image' }
  | { ok: false; code: 'too_many_pixels'; width: number; height: number };

export async function reencodeImage(bytes: Buffer, format: ImageFormat): Promise<Reencoded> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch {
    return { ok: false, code: 'unreadable_image' };
  }
  // What sharp reads must be what the bytes were sniffed as.
  if (meta.format !== format || !meta.width || !meta.height) return { ok: false, code: 'unreadable_image' };
  const frames = meta.pages ?? 1;
  if (meta.width * meta.height * frames > MAX_PIXELS) return { ok: false, code: 'too_many_pixels', width: meta.width, height: meta.height };
  const animated = (format === 'gif' || format === 'webp') && frames > 1;
  try {
    let image = sharp(bytes, { animated, limitInputPixels: MAX_PIXELS, failOn: 'error' });
    if (!animated) image = image.rotate();
    image = image.resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true });
    const encoded =
      format === 'jpeg'
        ? image.jpeg({ quality: 85, mozjpeg: true })
        : format === 'png'
          ? image.png({ compressionLevel: 9 })
          : format === 'webp'
            ? image.webp({ quality: 85 })
            : image.gif();
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { ok: true, bytes: data, width: info.width, height: animated ? (info.pageHeight ?? info.height) : info.height };
  } catch {
    return { ok: false, code: 'unreadable_image' };
  }
}
