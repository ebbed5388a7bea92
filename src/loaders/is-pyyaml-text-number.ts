/**
 * PyYAML's implicit int and float patterns (resolver.py, YAML 1.1): a float needs a dot, and an
 * exponent needs its sign, so `1e-5` and `1.0e5` are strings there while YAML 1.2 parsers (and the yaml
 * library tuneguard uses) read them as numbers.
 */
const PYYAML_INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const PYYAML_FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/**
 * Whether a plain YAML scalar that spells a number is a string to PyYAML (`1e-5`, `5E-7`, `1.0e5`),
 * as the frameworks that load configs with `yaml.safe_load` receive it.
 * @example isPyYamlTextNumber('1e-5') // true
 * @example isPyYamlTextNumber('1.0e-5') // false
 */
export function isPyYamlTextNumber(source: string): boolean {
  const text = source.trim();
  if (text === '' || !Number.isFinite(Number(text.replace(/_/g, '')))) return false;
  return !PYYAML_INT.test(text) && !PYYAML_FLOAT.test(text);
}
