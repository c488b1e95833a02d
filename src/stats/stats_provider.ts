/**
 * Collects the Summary API's numbers: the node's from /proc and statfs, each
 * running container's from its cgroup (the Engine's one-shot stats when the
 * cgroup cannot be read here), volumes by walking their directories. CPU rates are averaged since the previous request; a
 * request with no recent previous sample takes two samples a moment apart.
 * Slow numbers (writable-layer sizes, image sizes, volume usage) are cached
 * for a minute, as cAdvisor refreshes them on its own slower period.
 *
 * @module
 */
import type { PodList } from "../api/types.ts";
import type { DockerClient } from "../docker/client.ts";
import type { EngineInfo, EngineStats } from "../docker/types.ts";
import type { FsUsage, Platform } from "../platform/types.ts";
import { LABEL_NODE } from "../runtime/labels.ts";
import type { ObservedContainer, ObservedPod } from "../runtime/observed.ts";
import { emptyDirPath } from "../runtime/volumes.ts";
import { readCgroupStats } from "./cgroup_stats.ts";
import { defaultRouteInterface } from "../nodeinfo/host_ip.ts";
import {
  apiTime,
  containerMemoryStats,
  type ContainerStats,
  type CpuSample,
  cpuStats,
  engineNetworkStats,
  type FsStats,
  fsStats,
  nodeMemoryStats,
  parseMeminfo,
  parseNetDev,
  parseProcStat,
  parseSelfStat,
  parseVmstat,
  type PodStats,
  sumCpu,
  type Summary,
  sumMemory,
  type VolumeStats,
} from "./summary.ts";

/** How long slow numbers are reused (ms). */
export const SLOW_STATS_TTL_MS = 60_000;
/** A CPU sample older than this is not used for a rate (ms). */
const RATE_WINDOW_MS = 120_000;
/** The pause between the two samples of a cold request (ms). */
const COLD_SAMPLE_GAP_MS = 200;
/** A volume walk stops after this many entries. */
const MAX_WALK_ENTRIES = 100_000;

type Fs = Pick<Platform, "readTextFile" | "statfs" | "stat" | "readDir">;

/** What the summary reads of the kubelet. */
export interface SummaryView {
  nodeName: string;
  rootDir: string;
  podList(): PodList;
  observed(): ReadonlyMap<string, ObservedPod>;
}

interface Cached<T> {
  at: number;
  value: T;
}

interface Sample {
  node: { cpu: CpuSample; self: CpuSample };
  containers: Map<string, { stats: EngineStats; cpu: CpuSample }>;
}

export class StatsProvider {
  #previous = new Map<string, CpuSample>();
  #info?: Cached<EngineInfo>;
  #imagesSize?: Cached<number>;
  #sizes?: Cached<Map<string, number>>;
  #dirUsage = new Map<string, Cached<{ bytes: number; inodes: number }>>();

  constructor(
    private readonly docker: DockerClient,
    private readonly fs: Fs,
    private readonly view: SummaryView,
    private readonly now: () => number = Date.now,
  ) {}

  /** The whole summary, now. */
  async summary(): Promise<Summary> {
    const pods = this.view.podList().items;
    const observed = this.view.observed();
    const live: ObservedContainer[] = [];
    for (const p of observed.values()) {
      for (const c of [...p.sandboxes, ...p.containers]) if (c.state === "running") live.push(c);
    }
    let sample = await this.#sample(live);
    const keys = ["node", "self", ...sample.containers.keys()];
    if (keys.some((k) => !this.#fresh(k))) {
      this.#remember(sample);
      await new Promise((r) => setTimeout(r, COLD_SAMPLE_GAP_MS));
      sample = await this.#sample(live);
    }
    const [info, imagesSize, sizes] = await Promise.all([
      this.#engineInfo(),
      this.#cachedImagesSize(),
      this.#containerSizes(),
    ]);
    const time = apiTime(this.now());
    const imageFs = await this.#statfs(info.DockerRootDir);
    const nodeFsUsage = await this.#statfs(this.view.rootDir);
    const node = await this.#nodeStats(sample, time, nodeFsUsage, imageFs, imagesSize);
    const nodeMemory = (await this.#meminfo()).MemTotal ?? 0;

    const podStats: PodStats[] = [];
    for (const pod of pods) {
      const key = `${pod.metadata.name}_${pod.metadata.namespace}`;
      const mine = observed.get(key);
      const uid = pod.metadata.uid ?? "";
      const running = (mine?.containers ?? []).filter((c) => c.podUid === uid && c.state === "running");
      const sandbox = mine?.sandboxes.find((s) => s.podUid === uid && s.state === "running");
      if (!sandbox && running.length === 0) continue;
      const containers: ContainerStats[] = [];
      for (const c of running) {
        const s = sample.containers.get(c.id);
        if (!s) continue;
        const rootfsUsed = sizes.get(c.id);
        containers.push({
          name: c.name,
          startTime: apiTime(c.startedAt ?? c.createdAt),
          cpu: cpuStats(s.cpu, this.#previous.get(c.id)),
          memory: containerMemoryStats(s.stats.memory_stats, time, nodeMemory),
          ...(imageFs
            ? { rootfs: { ...fsStats(imageFs, time, rootfsUsed ?? 0), inodesUsed: undefined } }
            : {}),
          ...(await this.#logStats(info, c.id, time)),
        });
      }
      const sandboxSample = sandbox ? sample.containers.get(sandbox.id) : undefined;
      const parts = containers;
      const cpuParts = parts.map((c) => c.cpu!).concat(
        sandboxSample ? [cpuStats(sandboxSample.cpu, this.#previous.get(sandbox!.id))] : [],
      );
      const memParts = parts.map((c) => c.memory!).concat(
        sandboxSample ? [containerMemoryStats(sandboxSample.stats.memory_stats, time, nodeMemory)] : [],
      );
      const volumes = await this.#volumeStats(pod.spec.volumes ?? [], uid, time);
      const ephemeralUsed = containers.reduce((a, c) =>
        a + (c.rootfs?.usedBytes ?? 0) + (c.logs?.usedBytes ?? 0), 0) +
        volumes.reduce((a, v) => a + (v.usedBytes ?? 0), 0);
      const processes = [...running, ...(sandbox ? [sandbox] : [])]
        .reduce((a, c) => a + (sample.containers.get(c.id)?.stats.pids_stats?.current ?? 0), 0);
      const network = pod.spec.hostNetwork
        ? node.network
        : engineNetworkStats(sandboxSample?.stats.networks, time);
      podStats.push({
        podRef: { name: pod.metadata.name ?? "", namespace: pod.metadata.namespace ?? "", uid },
        startTime: apiTime(pod.status?.startTime ?? sandbox?.createdAt ?? this.now()),
        containers,
        ...(cpuParts.length ? { cpu: sumCpu(cpuParts, time) } : {}),
        ...(memParts.length ? { memory: sumMemory(memParts, time) } : {}),
        ...(network ? { network } : {}),
        ...(volumes.length ? { volume: volumes } : {}),
        ...(nodeFsUsage
          ? { "ephemeral-storage": { ...fsStats(nodeFsUsage, time, ephemeralUsed), inodesUsed: undefined } }
          : {}),
        process_stats: { process_count: processes },
      });
    }
    const podsCpu = sumCpu(podStats.flatMap((p) => p.cpu ? [p.cpu] : []), time);
    const podsMemory = sumMemory(podStats.flatMap((p) => p.memory ? [p.memory] : []), time);
    node.systemContainers!.push({
      name: "pods",
      startTime: node.startTime,
      ...(podsCpu ? { cpu: podsCpu } : {}),
      ...(podsMemory ? { memory: podsMemory } : {}),
    });
    this.#remember(sample);
    return { node, pods: podStats };
  }

  #fresh(key: string): boolean {
    const p = this.#previous.get(key);
    return p !== undefined && this.now() - p.at < RATE_WINDOW_MS;
  }

  #remember(sample: Sample): void {
    const next = new Map<string, CpuSample>([["node", sample.node.cpu], ["self", sample.node.self]]);
    for (const [id, s] of sample.containers) next.set(id, s.cpu);
    this.#previous = next;
  }

  async #sample(live: ObservedContainer[]): Promise<Sample> {
    const [stat, self, stats] = await Promise.all([
      this.#read("/proc/stat"),
      this.#read("/proc/self/stat"),
      Promise.all(live.map(async (c) => {
        // Only an infra container's network namespace is the pod's own.
        const cgroup = await readCgroupStats(
          this.fs,
          c.id,
          c.kind === "sandbox",
          new Date(this.now()),
          this.docker.engine.kind,
        );
        return cgroup ?? await this.docker.containerStats(c.id).catch(() => null);
      })),
    ]);
    const at = this.now();
    const containers = new Map<string, { stats: EngineStats; cpu: CpuSample }>();
    live.forEach((c, i) => {
      const s = stats[i];
      if (!s) return;
      const read = Date.parse(s.read);
      containers.set(c.id, {
        stats: s,
        cpu: {
          at: Number.isNaN(read) || read <= 0 ? at : read,
          usageNs: s.cpu_stats?.cpu_usage?.total_usage ?? 0,
        },
      });
    });
    return {
      node: {
        cpu: { at, usageNs: parseProcStat(stat).busyNs },
        self: { at, usageNs: self ? parseSelfStat(self) : 0 },
      },
      containers,
    };
  }

  async #nodeStats(
    sample: Sample,
    time: string,
    nodeFs: FsUsage | undefined,
    imageFs: FsUsage | undefined,
    imagesSize: number,
  ) {
    const [stat, vmstat, netdev, routes, loadavg, pidMax, selfStatus] = await Promise.all(
      [
        "/proc/stat",
        "/proc/vmstat",
        "/proc/net/dev",
        "/proc/net/route",
        "/proc/loadavg",
        "/proc/sys/kernel/pid_max",
        "/proc/self/status",
      ]
        .map((p) => this.#read(p)),
    );
    const meminfo = await this.#meminfo();
    const bootTime = parseProcStat(stat).bootTime;
    const interfaces = parseNetDev(netdev).filter((i) => !/^(veth|docker|br-)/.test(i.name));
    const defaultIface = defaultRouteInterface(routes);
    const main = interfaces.find((i) => i.name === defaultIface) ?? interfaces[0];
    const selfRss = Number(/VmRSS:\s+(\d+)/.exec(selfStatus)?.[1] ?? 0) * 1024;
    const startTime = apiTime(bootTime ? bootTime * 1000 : this.now());
    return {
      nodeName: this.view.nodeName,
      systemContainers: [{
        name: "kubelet",
        startTime: apiTime(performance.timeOrigin),
        cpu: cpuStats(sample.node.self, this.#previous.get("self")),
        memory: { time, usageBytes: selfRss, workingSetBytes: selfRss, rssBytes: selfRss },
      }] as ContainerStats[],
      startTime,
      cpu: cpuStats(sample.node.cpu, this.#previous.get("node")),
      memory: nodeMemoryStats(meminfo, parseVmstat(vmstat), time),
      ...(main ? { network: { time, ...main, interfaces } } : {}),
      ...(nodeFs ? { fs: fsStats(nodeFs, time) } : {}),
      runtime: imageFs ? { imageFs: fsStats(imageFs, time, imagesSize) } : {},
      rlimit: {
        time,
        ...(Number(pidMax) ? { maxpid: Number(pidMax) } : {}),
        ...(/\/(\d+)/.test(loadavg) ? { curproc: Number(/\/(\d+)/.exec(loadavg)![1]) } : {}),
      },
    };
  }

  async #logStats(info: EngineInfo, id: string, time: string): Promise<{ logs?: FsStats }> {
    // Only the json-file driver keeps a file whose size is the log's.
    if (info.LoggingDriver !== "json-file" || !info.DockerRootDir) return {};
    const dir = `${info.DockerRootDir}/containers/${id}`;
    const [file, usage] = await Promise.all([
      this.fs.stat(`${dir}/${id}-json.log`).catch(() => null),
      this.#statfs(dir),
    ]);
    if (!file || !usage) return {};
    return { logs: { ...fsStats(usage, time, file.size, 1) } };
  }

  async #volumeStats(
    volumes: NonNullable<PodList["items"][number]["spec"]["volumes"]>,
    uid: string,
    time: string,
  ) {
    const out: VolumeStats[] = [];
    for (const v of volumes) {
      // Only disk-backed emptyDirs have usage the kubelet measures here (hostPath is not the pod's).
      if (!v.emptyDir || v.emptyDir.medium === "Memory") continue;
      const path = emptyDirPath(this.view.rootDir, uid, v.name);
      const [usage, walked] = await Promise.all([this.#statfs(path), this.#walkUsage(path)]);
      if (!usage || !walked) continue;
      out.push({ name: v.name, ...fsStats(usage, time, walked.bytes, walked.inodes) });
    }
    return out;
  }

  async #walkUsage(path: string): Promise<{ bytes: number; inodes: number } | undefined> {
    const cached = this.#dirUsage.get(path);
    if (cached && this.now() - cached.at < SLOW_STATS_TTL_MS) return cached.value;
    if (!(await this.fs.stat(path).catch(() => null))?.isDirectory) return undefined;
    let bytes = 0, inodes = 1, seen = 0;
    const walk = async (dir: string): Promise<void> => {
      const entries = await this.fs.readDir(dir).catch(() => []);
      for (const e of entries) {
        if (++seen > MAX_WALK_ENTRIES) return;
        inodes++;
        const p = `${dir}/${e.name}`;
        if (e.isDirectory && !e.isSymlink) await walk(p);
        else if (e.isFile) bytes += (await this.fs.stat(p).catch(() => null))?.size ?? 0;
      }
    };
    await walk(path);
    const value = { bytes, inodes };
    this.#dirUsage.set(path, { at: this.now(), value });
    return value;
  }

  async #engineInfo(): Promise<EngineInfo> {
    if (!this.#info || this.now() - this.#info.at > SLOW_STATS_TTL_MS) {
      this.#info = { at: this.now(), value: await this.docker.info() };
    }
    return this.#info.value;
  }

  async #cachedImagesSize(): Promise<number> {
    if (!this.#imagesSize || this.now() - this.#imagesSize.at > SLOW_STATS_TTL_MS) {
      this.#imagesSize = { at: this.now(), value: await this.docker.imagesSize() };
    }
    return this.#imagesSize.value;
  }

  async #containerSizes(): Promise<Map<string, number>> {
    if (!this.#sizes || this.now() - this.#sizes.at > SLOW_STATS_TTL_MS) {
      this.#sizes = {
        at: this.now(),
        value: await this.docker.containerSizes([`${LABEL_NODE}=${this.view.nodeName}`]),
      };
    }
    return this.#sizes.value;
  }

  async #meminfo(): Promise<Record<string, number>> {
    return parseMeminfo(await this.#read("/proc/meminfo"));
  }

  /** statfs of `path`, or of its nearest existing parent; undefined when none can be read. */
  async #statfs(path: string): Promise<FsUsage | undefined> {
    for (let p = path;; p = p.replace(/\/[^/]*$/, "")) {
      try {
        return await this.fs.statfs(p || "/");
      } catch { /* try the parent */ }
      if (!p || p === "/") return undefined;
    }
  }

  async #read(path: string): Promise<string> {
    try {
      return await this.fs.readTextFile(path);
    } catch {
      return "";
    }
  }
}
