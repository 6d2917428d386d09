/**
 * Strings in UTF-16 code-unit order (`<`): for label ids (ASCII) the order of Postgres's "C"
 * collation, and unlike localeCompare the same on every machine.
 */
export const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
