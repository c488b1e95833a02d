/**
 * Termination messages: the file the kubelet mounts at a container's
 * `terminationMessagePath` before it starts, and the message read back when
 * it has exited, falling back to the end of its log under
 * `FallbackToLogsOnError` (kuberuntime_container.go).
 *
 * @module
 */
import type { Container } from "../api/types.ts";
import type { DockerClient } from "../docker/client.ts";
import { demultiplex } from "../docker/log_stream.ts";
import type { ContainerInspect } from "../docker/types.ts";
import type { Platform } from "../platform/types.ts";
import { LABEL_TERMINATION_MESSAGE_PATH, LABEL_TERMINATION_MESSAGE_POLICY } from "./labels.ts";
import { podDir } from "./volumes.ts";

/** At most this much of the file is the message (bytes, from its end). */
export const MAX_MESSAGE_BYTES = 4096;
/** From the log, at most this many lines and bytes (from its end). */
export const MAX_LOG_LINES = 80;
export const MAX_LOG_BYTES = 2048;

/**
 * Creates an empty, world-writable file for the message of one instance of
 * `container` under the pod's directory, and returns its path.
 */
export async function createTerminationMessageFile(
  fs: Pick<Platform, "mkdir" | "writeFile" | "chmod">,
  rootDir: string,
  podUid: string,
  container: Container,
): Promise<string> {
  const dir = `${podDir(rootDir, podUid)}/containers/${container.name}`;
  await fs.mkdir(dir, { mode: 0o750 });
  // A random name, so that each instance of the container gets a file of its own, as the kubelet's.
  const id = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, "0"))
    .join("");
  const path = `${dir}/${id}`;
  await fs.writeFile(path, "");
  // Any user the container runs as may write its message.
  await fs.chmod(path, 0o666);
  return path;
}

/** The labels that tell the reader where the message is and what to do when it is empty. */
export function terminationMessageLabels(container: Container): Record<string, string> {
  return {
    [LABEL_TERMINATION_MESSAGE_PATH]: container.terminationMessagePath ?? "",
    [LABEL_TERMINATION_MESSAGE_POLICY]: container.terminationMessagePolicy ?? "File",
  };
}

/** The last `maxBytes` bytes of the last `lines` lines a container wrote to stdout and stderr. */
async function tailLogs(docker: DockerClient, id: string, tty: boolean, lines: number, maxBytes: number) {
  const raw = await docker.containerLogs(id, { tail: lines });
  // Lines are the workload's and may be of any length: keep only the last bytes while reading.
  return new TextDecoder().decode(await readLast(tty ? raw : demultiplex(raw), maxBytes));
}

/** The last `max` bytes of a stream, holding no more than `max` plus one chunk meanwhile. */
export async function readLast(source: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array> {
  let kept = new Uint8Array(0);
  for await (const chunk of source as unknown as AsyncIterable<Uint8Array>) {
    if (chunk.length >= max) {
      kept = chunk.slice(chunk.length - max);
      continue;
    }
    const keep = Math.min(kept.length, max - chunk.length);
    const next = new Uint8Array(keep + chunk.length);
    next.set(kept.subarray(kept.length - keep));
    next.set(chunk, keep);
    kept = next;
  }
  return kept;
}

/**
 * Makes the reader of an exited container's termination message: the file
 * mounted at its `terminationMessagePath` (its last 4 KiB), or, under
 * `FallbackToLogsOnError` when that is empty and the exit code is not 0,
 * the last 80 lines (2 KiB) of its log. Resolves undefined when there is none.
 */
export function terminationMessageReader(
  fs: Pick<Platform, "readFileTail">,
  docker: DockerClient,
): (inspect: ContainerInspect) => Promise<string | undefined> {
  return async (inspect) => {
    const labels = inspect.Config.Labels ?? {};
    const path = labels[LABEL_TERMINATION_MESSAGE_PATH];
    if (!path) return undefined;
    const fallback = labels[LABEL_TERMINATION_MESSAGE_POLICY] === "FallbackToLogsOnError" &&
      inspect.State.ExitCode !== 0;
    const mount = inspect.Mounts?.find((m) => m.Destination === path);
    let message = "";
    if (mount) {
      try {
        // Only the file's end is read: its size is the workload's.
        message = new TextDecoder().decode(await fs.readFileTail(mount.Source, MAX_MESSAGE_BYTES));
      } catch (error) {
        return `Error on reading termination log ${mount.Source}: ${(error as Error).message}`;
      }
    }
    if (message === "" && fallback) {
      try {
        message = await tailLogs(
          docker,
          inspect.Id,
          inspect.Config.Tty === true,
          MAX_LOG_LINES,
          MAX_LOG_BYTES,
        );
      } catch (error) {
        return `Error on reading termination message from logs: ${(error as Error).message}`;
      }
    }
    return message || undefined;
  };
}
