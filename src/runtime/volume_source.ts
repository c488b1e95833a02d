/**
 * Where a pod volume lives on the host: what the volume manager (`volumes.ts`) prepares and
 * the container config mounts.
 *
 * @module
 */

/** Where a pod volume lives on the host, as the volume manager prepared it. */
export type VolumeSource =
  /**
   * A host directory or file to bind-mount (emptyDir on disk, hostPath, an
   * API-data volume). `readOnly`: mounted read-only whatever the mount says;
   * `atomic`: the atomic writer's layout, whose subPaths resolve inside `..data`.
   */
  | { kind: "bind"; path: string; readOnly?: boolean; atomic?: boolean }
  /** A Docker volume backed by tmpfs (emptyDir with medium Memory). */
  | { kind: "tmpfs"; volumeName: string };
