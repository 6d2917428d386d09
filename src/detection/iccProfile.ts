// Most camera and phone JPEGs embed an sRGB ICC profile (often the 3,144-byte "sRGB IEC61966-2.1").
// sharp converts every image with a profile to sRGB through lcms, which for an sRGB profile changes
// nothing but cost 6 ms of a 768×576 photo's 10 ms decode here. The standard sRGB profiles are
// skipped; any other (Adobe RGB, Display P3, CMYK, unreadable) is still converted.

/** The profile's description (its 'desc' tag, ICC v2 text or v4 multi-localized), or null. */
export function iccDescription(icc: Buffer): string | null {
  if (icc.length < 132) return null;
  const tags = icc.readUInt32BE(128);
  for (let i = 0; i < tags && 132 + 12 * (i + 1) <= icc.length; i += 1) {
    const entry = 132 + 12 * i;
    if (icc.toString('latin1', entry, entry + 4) !== 'desc') continue;
    const offset = icc.readUInt32BE(entry + 4);
    const size = icc.readUInt32BE(entry + 8);
    if (offset + size > icc.length || size < 12) return null;
    const type = icc.toString('latin1', offset, offset + 4);
    if (type === 'desc') {
      const length = icc.readUInt32BE(offset + 8);
      if (offset + 12 + length > icc.length) return null;
      return icc.toString('latin1', offset + 12, offset + 12 + length).replace(/\0+$/, '');
    }
    if (type === 'mluc' && size >= 28) {
      // The first record: language, country, length and offset (from the tag's start) of UTF-16BE text.
      const length = icc.readUInt32BE(offset + 20);
      const start = offset + icc.readUInt32BE(offset + 24);
      if (start + length > icc.length) return null;
      return Buffer.from(icc.subarray(start, start + length))
        .swap16()
        .toString('utf16le');
    }
    return null;
  }
  return null;
}

/**
 * The descriptions of the standard sRGB profiles: HP and Microsoft's (in most camera JPEGs), the
 * ICC's v4 ones, and libvips' and sharp's own. Only these are trusted: a profile merely named
 * "sRGB..." may have another tone curve (a linear "sRGB-elle-V4-g10", say) and is converted.
 */
const SRGB_DESCRIPTIONS = new Set([
  'sRGB IEC61966-2.1',
  'sRGB IEC61966-2-1 black scaled',
  'sRGB IEC61966-2-1 no black scaling',
  'sRGB built-in',
  'sRGB',
]);

/** Whether an embedded profile is a standard sRGB one: RGB data, described as one. Unreadable ones are not. */
export function isSrgbProfile(icc: Buffer | undefined): boolean {
  if (!icc || icc.length < 132 || icc.toString('latin1', 16, 20) !== 'RGB ') return false;
  try {
    return SRGB_DESCRIPTIONS.has(iccDescription(icc) ?? '');
  } catch {
    return false;
  }
}
