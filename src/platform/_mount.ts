/**
 * tmpfs mounts for both runtimes, through mount(8) and umount(8): neither
 * Deno nor Bun offers mount(2) without a foreign-function call, and the
 * kubelet itself mounts its memory-backed volumes by running `mount -t tmpfs`
 * (k8s.io/mount-utils).
 *
 * @module
 */
import { execFile } from "node:child_process";

/** How long mount(8) or umount(8) may take before it counts as failed (ms). */
const TIMEOUT_MS = 10_000;

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: TIMEOUT_MS }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const why = String(stderr ?? "").trim() || error.message;
      reject(new Error(`${command} ${args.join(" ")}: ${why}`));
    });
  });
}

/** `mount -t tmpfs -o size=N,mode=0755,nosuid,nodev tmpfs <path>`. */
export function mountTmpfs(path: string, sizeBytes: number): Promise<void> {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes <= 0) {
    return Promise.reject(new RangeError(`tmpfs size ${sizeBytes} is not a positive whole number of bytes`));
  }
  // "--" ends the options: the path is never read as one.
  return run("mount", ["-t", "tmpfs", "-o", `size=${sizeBytes},mode=0755,nosuid,nodev`, "--", "tmpfs", path]);
}

/** `umount <path>`. */
export function unmount(path: string): Promise<void> {
  return run("umount", ["--", path]);
}
