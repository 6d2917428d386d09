import { ApiError } from '../../src/api/errors';
import { checkDescription, checkProjectName, checkThreshold } from '../../src/projects/projectRules';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as ApiError).code;
  }
  return 'no error';
};

describe('project rules', () => {
  it.each(['a', 'photos', 'my-project-2', '0day', 'x'.repeat(128)])('accepts %s', (name) => {
    expect(checkProjectName(name)).toBe(name);
  });

  it.each([
    ['', 'MissingParameter'],
    ['x'.repeat(129), 'InvalidArgument'],
    ['Photos', 'InvalidArgument'],
    ['my_project', 'InvalidArgument'],
    ['-leading', 'InvalidArgument'],
    ['with space', 'InvalidArgument'],
    ['中文', 'InvalidArgument'],
    ['a/b', 'InvalidArgument'],
  ])('rejects %j with %s', (name, code) => {
    expect(codeOf(() => checkProjectName(name))).toBe(code);
  });

  it('bounds thresholds to 0..1 and descriptions to 1024 characters', () => {
    expect(checkThreshold(0)).toBe(0);
    expect(checkThreshold(1)).toBe(1);
    expect(checkThreshold(undefined)).toBeUndefined();
    expect(codeOf(() => checkThreshold(1.01))).toBe('InvalidArgument');
    expect(codeOf(() => checkThreshold(-0.1))).toBe('InvalidArgument');
    expect(codeOf(() => checkThreshold(Number.NaN))).toBe('InvalidArgument');
    expect(checkDescription('x'.repeat(1024))).toHaveLength(1024);
    expect(codeOf(() => checkDescription('x'.repeat(1025)))).toBe('InvalidArgument');
  });
});
