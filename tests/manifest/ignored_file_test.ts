import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { isIgnoredManifestName } from "../../src/manifest/ignored_file.ts";

describe("isIgnoredManifestName", () => {
  const cases: [string, boolean][] = [
    ["nginx.yaml", false],
    ["nginx.yml", false],
    ["pod.json", false],
    ["manifest", false],
    ["10-web.yaml", false],
    ["web2", false],
    [".nginx.yaml", true],
    [".nginx.yaml.swp", true],
    [".#nginx.yaml", true],
    ["nginx.yaml~", true],
    ["nginx.yaml.swp", true],
    ["nginx.yaml.swx", true],
    ["nginx.yaml.bak", true],
    ["nginx.yaml.tmp", true],
    ["#nginx.yaml#", true],
    ["4913", true],
    ["5036", true],
  ];
  for (const [name, ignored] of cases) {
    test(`${ignored ? "skips" : "reads"} ${JSON.stringify(name)}`, () => {
      assert.equal(isIgnoredManifestName(name), ignored);
    });
  }
});
