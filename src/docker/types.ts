/**
 * The parts of Docker Engine API objects the kubelet reads and writes
 * (field names as the Engine spells them).
 *
 * @module
 */

/** One row of `GET /containers/json`. */
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Created: number;
  State: string;
  Status: string;
  Labels: Record<string, string>;
  NetworkSettings?: { Networks?: Record<string, { IPAddress?: string }> };
  /** The container's mounts; `Source` is the host path of a bind mount. */
  Mounts?: { Type?: string; Source?: string; Destination?: string }[];
}

/** What `GET /containers/{id}/json` returns, in part. */
export interface ContainerInspect {
  Id: string;
  Name: string;
  Created: string;
  Image: string;
  State: {
    Status: string;
    Running: boolean;
    OOMKilled: boolean;
    ExitCode: number;
    Error: string;
    StartedAt: string;
    FinishedAt: string;
    Pid: number;
  };
  Config: {
    Image: string;
    Labels: Record<string, string>;
    StopSignal?: string;
    Env?: string[];
    Tty?: boolean;
  };
  HostConfig: Record<string, unknown> & { NetworkMode?: string };
  NetworkSettings: {
    IPAddress?: string;
    GlobalIPv6Address?: string;
    Networks?: Record<string, { IPAddress?: string; GlobalIPv6Address?: string }>;
  };
  Mounts?: { Type: string; Source: string; Destination: string; RW: boolean }[];
}

/** The body of `POST /containers/create`, in part. */
export interface ContainerCreateBody {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  WorkingDir?: string;
  Labels?: Record<string, string>;
  Hostname?: string;
  Domainname?: string;
  User?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  StopSignal?: string;
  StopTimeout?: number;
  Tty?: boolean;
  OpenStdin?: boolean;
  HostConfig: Record<string, unknown>;
}

/** One entry of `HostConfig.Mounts` in a create body (the Engine's `mount.Mount`). */
export interface EngineMount {
  Type: "bind" | "volume" | "tmpfs";
  Source: string;
  Target: string;
  ReadOnly: boolean;
  BindOptions?: { Propagation?: string };
  VolumeOptions?: { Subpath?: string };
}

/** What `GET /images/{name}/json` returns, in part. */
export interface ImageInspect {
  Id: string;
  RepoTags?: string[];
  RepoDigests?: string[];
  Architecture?: string;
  Config?: { StopSignal?: string; User?: string; Entrypoint?: string[] | null; Cmd?: string[] | null };
}

/** One message of the `GET /events` stream. */
export interface EngineEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time: number;
  timeNano: number;
}

/** One progress message of an image pull. */
export interface PullProgress {
  id?: string;
  status?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

/** What `GET /containers/{id}/stats?stream=false&one-shot=true` returns, in part. */
export interface EngineStats {
  read: string;
  pids_stats?: { current?: number };
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; rx_errors?: number; tx_bytes?: number; tx_errors?: number }>;
}

/** What `GET /info` returns, in part. */
export interface EngineInfo {
  DockerRootDir: string;
  LoggingDriver: string;
  ServerVersion?: string;
}
