/**
 * Housekeeping of pod directories, as the kubelet's `cleanupOrphanedPodDirs`
 * (kubelet_volumes.go) does it: `<root-dir>/pods/<uid>` directories (and the
 * tmpfs volumes of `medium: Memory` emptyDirs) of pods that neither a source
 * nor the Engine knows are removed. Such leftovers come from manifest edits
 * (each version is a new uid) and from a kubelet killed during a teardown.
 *
 * Strict about what it touches: only direct children of `<root-dir>/pods`
 * whose names look like the uids the kubelet makes (32 hex digits, or a
 * UUID), never a link, never a directory any container of the Engine (of any
 * node, in any state) mounts from, and never one with a mount point inside
 * other than the tmpfs of its own secret and projected volumes, which are
 * unmounted first. The removal itself does not follow links.
 *
 * @module
 */
import type { ContainerSummary } from "../docker/types.ts";
import type { Logger } from "../log.ts";
import type { DirEntry, Platform } from "../platform/types.ts";
import { LABEL_NODE, LABEL_POD_UID } from "../runtime/labels.ts";
import { memoryVolumeMountUid, parseMounts } from "../volume/memory_mounts.ts";

/** A pod uid as the kubelet makes them (the first 32 hex digits of the manifest's sha-256) or as manifests give them (a UUID). */
const UID = /^(?:[0-9a-f]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;
/** `k8s_<uid>_<volume>`: the Docker volume of a `medium: Memory` emptyDir (see `memoryVolumeName`). */
const MEMORY_VOLUME =
  /^k8s_([0-9a-f]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})_/;

/** What housekeeping needs of the world. */
export interface HousekeepingDeps {
  /** Without `unmount`, a pod directory holding a secret volume's tmpfs is kept. */
  fs: Pick<Platform, "readDir" | "remove" | "readTextFile"> & Partial<Pick<Platform, "unmount">>;
  docker: {
    /** Every container of the Engine, in any state, with labels and mounts (`labels` empty). */
    listContainers(labels: string[]): Promise<ContainerSummary[]>;
    listVolumes(labels: string[]): Promise<string[]>;
    removeVolume(name: string): Promise<void>;
  };
  log: Logger;
}

/** Where to look, and which pods are wanted. */
export interface HousekeepingOptions {
  rootDir: string;
  nodeName: string;
  /**
   * The uids of every pod a source wants, or whose old version is still
   * being torn down. Called after the Engine and the directory were read, so
   * that a pod added meanwhile is counted.
   */
  desiredUids: () => Iterable<string>;
  /** Where mount points are listed. @default {"/proc/self/mountinfo"} */
  mountInfoPath?: string;
}

/** What one pass removed. */
export interface HousekeepingResult {
  /** Uids whose directories were removed. */
  removedDirs: string[];
  /** Docker volumes removed. */
  removedVolumes: string[];
}

/** The mount points listed in a mountinfo file (its fifth field, octal escapes decoded). */
export function parseMountPoints(mountInfo: string): string[] {
  return mountInfo.split("\n").filter((l) => l.trim()).map((line) =>
    (line.split(" ")[4] ?? "").replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)))
  );
}

/** What the pure choice of orphans looks at. */
export interface OrphanInput {
  /** `<root-dir>/pods`, without a trailing slash. */
  podsDir: string;
  /** Its entries. */
  entries: DirEntry[];
  /** Uids that must stay: wanted by a source, or known to the Engine. */
  keep: Set<string>;
  /** Sources of every mount of every container of the Engine. */
  mountSources: string[];
  /** Every mount point of the host. */
  mountPoints: string[];
}

/**
 * The uids among `entries` whose directories may be removed: names that look
 * like uids, directories (not links, not files), not kept, not mounted from,
 * and holding no mount point.
 */
export function orphanedPodUids(input: OrphanInput): string[] {
  const inside = (path: string, uid: string) => {
    const dir = `${input.podsDir}/${uid}`;
    return path === dir || path.startsWith(`${dir}/`);
  };
  // A bind source may name the directory through another path to the root dir: match on `/pods/<uid>` too.
  const mountedFrom = (uid: string) =>
    input.mountSources.some((s) =>
      inside(s, uid) || s.endsWith(`/pods/${uid}`) || s.includes(`/pods/${uid}/`)
    );
  return input.entries
    .filter((e) => e.isDirectory && !e.isSymlink && UID.test(e.name))
    .map((e) => e.name)
    .filter((uid) => !input.keep.has(uid))
    .filter((uid) => !mountedFrom(uid))
    .filter((uid) => !input.mountPoints.some((m) => inside(m, uid)))
    .sort();
}

/**
 * One housekeeping pass: removes the directories under `<root-dir>/pods` (and
 * the `medium: Memory` volumes) of pods that neither a source nor the Engine
 * knows. Call it only once every source has sent its first snapshot: before
 * that, a pod not yet named may still be on its way.
 *
 * @throws when the Engine cannot be listed (nothing is removed then).
 */
export async function cleanupOrphanedPodDirs(
  deps: HousekeepingDeps,
  options: HousekeepingOptions,
): Promise<HousekeepingResult> {
  const podsDir = `${options.rootDir.replace(/\/+$/, "")}/pods`;
  const entries = await deps.fs.readDir(podsDir).catch((error) => {
    if ((error as { code?: string }).code === "ENOENT" || (error as Error).name === "NotFound") return [];
    throw error;
  });
  const volumes = (await deps.docker.listVolumes([`${LABEL_NODE}=${options.nodeName}`]))
    .map((name) => ({ name, uid: MEMORY_VOLUME.exec(name)?.[1] }));
  // Steady state: every pod directory and memory volume belongs to a pod a source wants. Nothing can be
  // an orphan then, so the Engine's containers and the mount table are not read at all.
  const desired = new Set(options.desiredUids());
  const candidate = (uid: string | undefined) => uid !== undefined && !desired.has(uid);
  if (
    !entries.some((e) => e.isDirectory && !e.isSymlink && UID.test(e.name) && candidate(e.name)) &&
    !volumes.some((v) => candidate(v.uid))
  ) return { removedDirs: [], removedVolumes: [] };
  const containers = await deps.docker.listContainers([]);
  const mountInfo = await deps.fs.readTextFile(options.mountInfoPath ?? "/proc/self/mountinfo").catch(() =>
    ""
  );
  const keep = new Set(options.desiredUids());
  for (const c of containers) {
    if (c.Labels?.[LABEL_NODE] === options.nodeName && c.Labels[LABEL_POD_UID]) {
      keep.add(c.Labels[LABEL_POD_UID]);
    }
  }
  const mountSources = containers.flatMap((c) => (c.Mounts ?? []).map((m) => m.Source ?? ""));
  // The tmpfs of a secret or projected volume is the kubelet's own: unmounted with its pod's directory.
  const mounts = parseMounts(mountInfo).map((m) => ({
    ...m,
    uid: deps.fs.unmount && memoryVolumeMountUid(podsDir, m),
  }));
  const orphans = orphanedPodUids({
    podsDir,
    entries,
    keep,
    mountSources,
    mountPoints: mounts.filter((m) => !m.uid).map((m) => m.mountPoint),
  });
  const removedDirs: string[] = [];
  for (const uid of orphans) {
    try {
      // Innermost first: a mount stacked on another comes later in mountinfo.
      for (const m of mounts.filter((m) => m.uid === uid).reverse()) await deps.fs.unmount!(m.mountPoint);
      // The name is a uid (checked above): the path stays a direct child of <root-dir>/pods.
      await deps.fs.remove(`${podsDir}/${uid}`);
      removedDirs.push(uid);
      deps.log.info(`removed the directory of orphaned pod ${uid}`, { path: `${podsDir}/${uid}` });
    } catch (error) {
      deps.log.warn(`cannot remove the directory of orphaned pod ${uid}`, {
        error: (error as Error).message,
      });
    }
  }
  const removedVolumes: string[] = [];
  for (const v of volumes) {
    if (!v.uid || keep.has(v.uid)) continue;
    try {
      await deps.docker.removeVolume(v.name);
      removedVolumes.push(v.name);
      deps.log.info(`removed the memory volume of orphaned pod ${v.uid}`, { volume: v.name });
    } catch (error) {
      // In use by a container of another node, say: left for a later pass.
      deps.log.v(2, `cannot remove volume ${v.name}`, { error: (error as Error).message });
    }
  }
  return { removedDirs, removedVolumes };
}

/** How often a pass runs when nothing changed: the safety net (ms). */
export const QUIET_HOUSEKEEPING_MS = 60_000;

/**
 * Makes the caller of {@link cleanupOrphanedPodDirs} that sits in a faster
 * tick (the relist). A call with `changed` (a pod was removed or replaced, or
 * containers went away) asks for a pass, which runs at that call or a later
 * one once `periodMs` has passed since the last pass; without changes a pass
 * runs every `quietMs`. One pass at a time; failures are logged.
 *
 * @param periodMs the least time between passes @default 10_000
 * @param quietMs the time between passes when nothing changed @default {QUIET_HOUSEKEEPING_MS}
 */
export function podDirHousekeeper(
  deps: HousekeepingDeps,
  options: HousekeepingOptions,
  periodMs = 10_000,
  quietMs = QUIET_HOUSEKEEPING_MS,
): (changed?: boolean) => Promise<void> {
  let running = false;
  let last = -Infinity;
  let asked = false;
  return async (changed = false) => {
    asked ||= changed;
    const since = performance.now() - last;
    if (running || since < periodMs || (!asked && since < quietMs)) return;
    running = true;
    asked = false;
    last = performance.now();
    try {
      await cleanupOrphanedPodDirs(deps, options);
    } catch (error) {
      deps.log.warn("housekeeping of pod directories failed", { error: (error as Error).message });
    } finally {
      running = false;
    }
  };
}
