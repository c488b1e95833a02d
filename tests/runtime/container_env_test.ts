import { test } from "node:test";
import assert from "node:assert/strict";
import { containerEnv, expandVars } from "../../src/runtime/container_env.ts";

const vars = new Map([["A", "apple"], ["B", "banana"], ["EMPTY", ""]]);

const expandCases: [input: string, output: string][] = [
  ["$(A)", "apple"],
  ["$(A)-$(B)", "apple-banana"],
  ["x$(EMPTY)y", "xy"],
  ["$(MISSING)", "$(MISSING)"],
  ["$$", "$"],
  ["$$(A)", "$(A)"],
  ["$$$(A)", "$apple"],
  ["$A", "$A"],
  ["$(A", "$(A"],
  ["cost: 5$", "cost: 5$"],
  ["no references", "no references"],
  ["$(A)$", "apple$"],
  ["$()", "$()"],
  ["$(A)$(B", "apple$(B"],
  ["$(A B)", "$(A B)"],
];

for (const [input, output] of expandCases) {
  test(`expandVars turns ${JSON.stringify(input)} into ${JSON.stringify(output)}`, () => {
    assert.equal(expandVars(input, vars), output);
  });
}

test("containerEnv gives NAME=value strings in the order of env", () => {
  const env = containerEnv({
    name: "c",
    image: "x",
    env: [{ name: "Z", value: "1" }, { name: "A", value: "2" }],
  });
  assert.deepEqual(env, ["Z=1", "A=2"]);
});

test("containerEnv expands references to variables defined earlier, not later", () => {
  const env = containerEnv({
    name: "c",
    image: "x",
    env: [
      { name: "HOST", value: "db" },
      { name: "URL", value: "postgres://$(HOST):$(PORT)" },
      { name: "PORT", value: "5432" },
    ],
  });
  assert.deepEqual(env, ["HOST=db", "URL=postgres://db:$(PORT)", "PORT=5432"]);
});

test("containerEnv keeps $$ as an escaped literal dollar", () => {
  const env = containerEnv({ name: "c", image: "x", env: [{ name: "P", value: "a$$b$$(P)" }] });
  assert.deepEqual(env, ["P=a$b$(P)"]);
});

test("containerEnv asks resolve for valueFrom variables, and uses an empty value when it has none", () => {
  const env = containerEnv(
    {
      name: "c",
      image: "x",
      env: [
        { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        { name: "OTHER", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
        { name: "GREETING", value: "hi $(POD)" },
      ],
    },
    (e) => (e.name === "POD" ? "web-node1" : undefined),
  );
  assert.deepEqual(env, ["POD=web-node1", "OTHER=", "GREETING=hi web-node1"]);
});

test("containerEnv of a container without env is empty", () => {
  assert.deepEqual(containerEnv({ name: "c", image: "x" }), []);
});
