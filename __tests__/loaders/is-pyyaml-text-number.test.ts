import { describe, expect, it } from '@jest/globals';
import { isPyYamlTextNumber } from '../../src/loaders/is-pyyaml-text-number.js';

describe('isPyYamlTextNumber', () => {
  // Expected: python3 -c "import yaml; print(yaml.safe_load(...))" with PyYAML 6.0.3 gave a str for
  // 1e-5, 5E-7, 1.0e5, 1e3, -2e+4 and a number for 1.0e-5, 2.0e-05, 1_000, 0x1F, .5, 3., 010.
  it.each([
    ['1e-5', true],
    ['5E-7', true],
    ['1.0e5', true],
    ['1e3', true],
    ['-2e+4', true],
    ['1.0e-5', false],
    ['2.0e-05', false],
    ['1_000', false],
    ['0x1F', false],
    ['.5', false],
    ['3.', false],
    ['010', false],
    ['steps', false],
    ['', false],
  ])('%p → %p', (source, expected) => {
    expect(isPyYamlTextNumber(source)).toBe(expected);
  });
});
