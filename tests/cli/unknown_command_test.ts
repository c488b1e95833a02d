import { test } from "node:test";
import assert from "node:assert/strict";
import { unknownCommandMessage } from "../../src/cli/unknown_command.ts";

const COMMANDS = ["pods", "logs", "validate", "version"];

test("unknownCommandMessage names the word as cobra does and suggests a command a short edit away", () => {
  assert.equal(
    unknownCommandMessage("pod", COMMANDS),
    'unknown command "pod" for "kubelet"; did you mean "pods"? (the kubelet takes no arguments; see kubelet --help)',
  );
  assert.match(unknownCommandMessage("lgos", COMMANDS), /did you mean "logs"\?/);
  assert.match(unknownCommandMessage("v", COMMANDS), /did you mean "validate" or "version"\?/);
  assert.doesNotMatch(unknownCommandMessage("/etc/kubernetes/manifests", COMMANDS), /did you mean/);
  assert.doesNotMatch(unknownCommandMessage("", COMMANDS), /did you mean/);
});
