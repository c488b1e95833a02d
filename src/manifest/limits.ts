/**
 * The bounds on a manifest's size and shape, so that no manifest can stall
 * or crash the kubelet while it is read. A real cluster bounds a pod by the
 * API server's request limit (3 MiB) and etcd's value limit (1.5 MiB); a pod
 * written by hand or by kubeadm is a few KiB.
 *
 * @module
 */

/** The largest manifest file or URL body read, in bytes (1 MiB). A larger one is refused whole. */
export const MAX_MANIFEST_BYTES = 1 << 20;

/**
 * The deepest nesting of maps and lists a manifest may hold. A pod's deepest
 * field (a node affinity's match expression values) is about 10 levels down.
 */
export const MAX_MANIFEST_DEPTH = 100;

/**
 * How many nodes YAML aliases (`*name`, merge keys `<<: *name` included) may
 * copy into one document, counting every node of each copied subtree.
 */
export const MAX_ALIAS_NODES = 10_000;

/**
 * How many documents (empty ones included) one manifest may hold, and how
 * many pods (the items of a `List` included): the most pods a kubelet runs by
 * default (`maxPods`). Each costs work whatever its size (a document object,
 * validation, a hash), which the token bound alone would let grow to
 * thousands; a manifest usually holds one pod.
 */
export const MAX_MANIFEST_PODS = 110;

/**
 * How many tokens (scalars, indicators, spaces, line breaks) a YAML manifest
 * may hold, and about as many (values, keys, commas, colons) a JSON one: this
 * bounds the work of parsing, validating and running it, whatever its size.
 * A kubeadm manifest has under 1,000; a 1 MiB string value is a few.
 */
export const MAX_MANIFEST_TOKENS = 20_000;

/**
 * The longest double-quoted YAML string, in characters (256 Ki, the API
 * server's limit for all of a pod's annotations together). The `yaml`
 * package unescapes such a string a character at a time, slowly; plain,
 * single-quoted and block strings have no limit but the file's.
 */
export const MAX_QUOTED_STRING = 256 * 1024;
