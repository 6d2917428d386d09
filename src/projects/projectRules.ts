import { invalidArgument, missingParameter } from '../api/errors';

// Project names follow IMM's spirit: short, URL- and index-safe, and hard to confuse.
export const PROJECT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const PROJECT_NAME_MAX = 128;
export const DESCRIPTION_MAX = 1024;

/** Whether a value is a well-formed project name (checkProjectName says what is wrong with one that is not). */
export const isProjectName = (name: unknown): name is string =>
  typeof name === 'string' && name.length <= PROJECT_NAME_MAX && PROJECT_NAME_PATTERN.test(name);

export function checkProjectName(name: string | null | undefined, field = 'name'): string {
  if (name === undefined || name === null || name === '') throw missingParameter(field);
  if (name.length > PROJECT_NAME_MAX) {
    throw invalidArgument(`${field} must be at most ${PROJECT_NAME_MAX} characters (got ${name.length}).`, field);
  }
  if (!PROJECT_NAME_PATTERN.test(name)) {
    throw invalidArgument(`${field} may contain only lowercase letters a-z, digits and "-", and must start with a letter or digit.`, field);
  }
  return name;
}

export function checkDescription(description: string | null | undefined): string | undefined {
  if (description === undefined || description === null) return undefined;
  if (description.length > DESCRIPTION_MAX) {
    throw invalidArgument(`description must be at most ${DESCRIPTION_MAX} characters (got ${description.length}).`, 'description');
  }
  return description;
}

/** Confidence thresholds are probabilities, as in IMM's Threshold parameter. */
export function checkThreshold(value: number | null | undefined, field = 'threshold'): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw invalidArgument(`${field} must be between 0 and 1 (got ${value}).`, field);
  }
  return value;
}

/** The most boxes a label keeps (yoloxDetector's MAX_INSTANCES is well below): a bound, not a policy. */
export const MAX_INSTANCE_FILTER = 1000;

/** A count of boxed instances to require, 1..MAX_INSTANCE_FILTER. */
export function checkInstanceCount(value: number | null | undefined, field = 'minInstances'): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > MAX_INSTANCE_FILTER)
    throw invalidArgument(`${field} must be an integer between 1 and ${MAX_INSTANCE_FILTER} (got ${value}).`, field);
  return value;
}

/** A project's own rate limit (IMM's ProjectQueriesPerSecond); 0 or null puts the server default back. */
export function checkQueriesPerSecond(value: number | null | undefined, field = 'queriesPerSecond'): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === 0) return null;
  if (!Number.isFinite(value) || value < 0.01 || value > 1e6)
    throw invalidArgument(`${field} must be between 0.01 and 1000000, or 0 for the server default (got ${value}).`, field);
  return value;
}
