/**
 * Bounds the work of turning a composed YAML document into a value, before
 * `toJS` does it: nesting depth, and the nodes that aliases copy (merge keys
 * included, which the `yaml` package's own `maxAliasCount` does not count:
 * eemeli/yaml#694). Also refuses repeated map keys, as the package's
 * quadratic `uniqueKeys` check would. Iterative: no input can exhaust the
 * stack.
 *
 * @module
 */

import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node } from "yaml";
import { MAX_ALIAS_NODES, MAX_MANIFEST_DEPTH } from "./limits.ts";

/** A problem of a document, with the source offset it is at. */
export interface YamlBoundsProblem {
  offset: number;
  message: string;
}

/** How many nodes are looked at between two chances to pause. */
const NODES_PER_STEP = 500;

/**
 * The first problem of `doc` (undefined when there is none), found in steps
 * of a few hundred nodes (`yield`) for the async decoding to pause between.
 */
export function* yamlBoundsSteps(doc: Document): Generator<void, YamlBoundsProblem | undefined> {
  // For each finished node: how many nodes its value holds, and how deep it nests.
  const done = new Map<unknown, { size: number; height: number }>();
  let copied = 0, visits = 0;
  const stack: { node: unknown; children?: unknown[] }[] = [{ node: doc.contents }];
  while (stack.length > 0) {
    if (++visits % NODES_PER_STEP === 0) yield;
    const top = stack[stack.length - 1];
    const node = top.node;
    const offset = (node as Node | null)?.range?.[0] ?? 0;
    if (!top.children) {
      const children = top.children = childrenOf(node);
      if (isMap(node)) {
        const keys = new Set<string>();
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue;
          const key = String(pair.key.value);
          if (key === "<<") continue;
          if (keys.has(key)) {
            return { offset: pair.key.range?.[0] ?? offset, message: `duplicate key ${JSON.stringify(key)}` };
          }
          keys.add(key);
        }
      }
      // Children are finished in document order, so an anchor is always done before its aliases.
      for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i] });
      continue;
    }
    stack.pop();
    // A map or list is one level deeper than its deepest child; a pair is as deep as its key or value.
    const own = isMap(node) || isSeq(node) ? 1 : 0;
    let size = 1, height = own;
    if (isAlias(node)) {
      const target = done.get(node.resolve(doc));
      if (!target) return { offset, message: `alias *${node.source} refers to a node that encloses it` };
      copied += target.size;
      if (copied > MAX_ALIAS_NODES) {
        return { offset, message: `aliases copy more than ${MAX_ALIAS_NODES} nodes` };
      }
      ({ size, height } = target);
    }
    for (const child of top.children) {
      const c = done.get(child);
      if (!c) continue;
      size += c.size;
      height = Math.max(height, own + c.height);
    }
    if (height > MAX_MANIFEST_DEPTH) {
      return { offset, message: `nested more than ${MAX_MANIFEST_DEPTH} levels deep` };
    }
    done.set(node, { size, height });
  }
}

function childrenOf(node: unknown): unknown[] {
  if (isMap(node) || isSeq(node)) return node.items.filter((item) => item != null);
  if (isPair(node)) return [node.key, node.value].filter((item) => item != null);
  return [];
}
