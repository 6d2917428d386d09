import { LabelLanguage } from '../vocabulary';
import type { TaxonomyLabel } from './labelTypes';
import type { Taxonomy } from './taxonomy';

/** One name or alias of a label, in one language. */
export interface LabelText {
  label: TaxonomyLabel;
  text: string;
  language: LabelLanguage;
  isName: boolean;
}

/** Every name and alias of every label, in both languages: what autocomplete and free text match against. */
export function labelTexts(taxonomy: Taxonomy): LabelText[] {
  const out: LabelText[] = [];
  for (const label of taxonomy.list({})) {
    out.push({ label, text: label.en, language: 'en', isName: true }, { label, text: label.zhHans, language: 'zh-Hans', isName: true });
    for (const text of label.aliasesEn) out.push({ label, text, language: 'en', isName: false });
    for (const text of label.aliasesZhHans) out.push({ label, text, language: 'zh-Hans', isName: false });
  }
  return out;
}
