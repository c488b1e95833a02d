/**
 * Where a pod volume lives on the host: what the volume manager (`volumes.ts`) prepares and
 * the container config mounts.
 *
 * @module
 */

/** Where a pod volume lives on the host, as the volume manager prepared it. */
export type VolumeSource =
  /** A host directory or file to bind-mount (emptyDir on disk, hostPath). */
  | { kind: "bind"; path: string }
  /** A Docker volume backed by tmpfs (emptyDir with medium Memory). */
  | { kind: "tmpfs"; volumeName: string };
