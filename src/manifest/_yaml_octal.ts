/**
 * YAML 1.1's octal integers (`0400`), as the API server reads manifests: its
 * YAML goes through go-yaml v2, which resolves a plain scalar with a leading
 * zero as octal. The `yaml` package's YAML 1.2 core schema would read `0400`
 * as the decimal 400, so `defaultMode: 0400` would become mode 0620.
 *
 * @module
 */

/** A scalar tag that resolves `0400`, `-010`, `0_644` as octal; tried before the core schema's integers. */
export const yamlOctalInt = {
  identify: (value: unknown) => typeof value === "number",
  default: true,
  tag: "tag:yaml.org,2002:int",
  format: "OCT",
  test: /^[-+]?0[0-7_]+$/,
  resolve: (text: string) => {
    const sign = text.startsWith("-") ? -1 : 1;
    return sign * parseInt(text.replace(/^[-+]?0/, "").replace(/_/g, ""), 8);
  },
};
