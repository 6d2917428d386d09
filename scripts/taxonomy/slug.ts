/** Lowercase ASCII slug: "Dining Table" → "dining-table", "3D glasses" → "3d-glasses". */
export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Gives every name a unique slug, in the order names are offered (so earlier ones keep the plain slug). */
export class SlugRegistry {
  private readonly taken = new Set<string>();

  claim(name: string): string {
    const base = slugOf(name) || 'label';
    let id = base;
    for (let n = 2; this.taken.has(id); n++) id = `${base}-${n}`;
    this.taken.add(id);
    return id;
  }
}
