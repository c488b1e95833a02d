/**
 * What a pod source hands the merger: the complete set of pods it holds now.
 *
 * @module
 */

import type { Pod } from "../api/types.ts";
import type { ConfigMapObject, SecretObject } from "../api/config_objects.ts";

/** A pod and the manifest it was read from. */
export interface SourcedPod {
  pod: Pod;
  /** The manifest file's path, or the URL. */
  origin: string;
}

/** Something wrong in a manifest (or in reading it), for the operator to fix. */
export interface ManifestProblem {
  /** The manifest file's path, or the URL. */
  origin: string;
  /** 1-based line of the document (or syntax error) the problem is in, when known. */
  line?: number;
  /** What is wrong, naming the field where there is one. */
  message: string;
}

/**
 * One complete reading of a source, as the kubelet's `PodUpdate{Op: SET}`:
 * a pod missing from `pods` is to be stopped, unless its origin is in
 * `failedOrigins`.
 */
export interface Snapshot {
  source: "file" | "http";
  /** The good pods, in the source's order (sorted file names, then documents). */
  pods: SourcedPod[];
  problems: ManifestProblem[];
  /** The good ConfigMaps, in the source's order; none when absent. */
  configMaps?: ConfigMapObject[];
  /** The good Secrets, in the source's order; none when absent. */
  secrets?: SecretObject[];
  /**
   * Origins that could not be read or held at least one broken document; the
   * merger keeps the previous pods (and ConfigMaps and Secrets) of these running, so that an edit which
   * breaks a manifest does not stop its pods.
   */
  failedOrigins: string[];
  /** Fields that are unknown or not acted on, one message per document; the pods still run. */
  warnings?: ManifestProblem[];
  /** Things worth a line at info level, such as a file that holds only comments. */
  notes?: ManifestProblem[];
}
