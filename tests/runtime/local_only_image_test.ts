import { test } from "node:test";
import assert from "node:assert/strict";
import { isLocalOnlyImage } from "../../src/runtime/local_only_image.ts";

const image = (...RepoTags: string[]) => ({ Id: "sha256:1", RepoTags });

for (
  const [engine, img, expected, why] of [
    ["podman", image("localhost/nginx:latest"), true, "podman load named it localhost/"],
    ["podman", image("localhost/nginx:latest", "localhost/nginx:1"), true, "every name is local"],
    [
      "podman",
      image("localhost/nginx:latest", "docker.io/library/nginx:latest"),
      false,
      "a registry name too",
    ],
    ["podman", image("docker.io/library/busybox:latest"), false, "pulled from a registry"],
    ["podman", image(), false, "an untagged image says nothing"],
    ["podman", null, false, "a missing image is pulled"],
    [
      "docker",
      image("localhost/nginx:latest"),
      false,
      "Docker pulls localhost/ from a registry on localhost:80",
    ],
  ] as const
) {
  test(`isLocalOnlyImage is ${expected} on ${engine} when ${why}`, () => {
    assert.equal(isLocalOnlyImage(engine, img), expected);
  });
}
