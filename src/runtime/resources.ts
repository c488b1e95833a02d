/**
 * A container's resources as Linux cgroup settings, computed as the kubelet
 * does (kuberuntime_container_linux.go, `generateLinuxContainerResources`):
 * CPU request to shares, CPU limit to a CFS quota, memory limit to bytes.
 *
 * @module
 */
import { parseQuantity } from "../api/quantity.ts";
import type { Container } from "../api/types.ts";

/** The CFS period the kubelet uses, in microseconds. */
export const QUOTA_PERIOD = 100_000;
/** The smallest CFS quota the kernel allows, in microseconds. */
export const MIN_QUOTA_PERIOD = 1_000;
const MIN_SHARES = 2;
const MAX_SHARES = 262_144;
const SHARES_PER_CPU = 1024;

/** The Engine's HostConfig fields for a container's resources. */
export interface LinuxResources {
  CpuShares: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  /** Bytes. */
  Memory?: number;
  /** Equal to `Memory`: no swap beyond the limit, as the kubelet's NoSwap. */
  MemorySwap?: number;
}

/** CPU shares for a request in millicores: 1024 per core, at least 2 (also with no request). */
export function milliCpuToShares(milliCpu: number): number {
  if (milliCpu === 0) return MIN_SHARES;
  const shares = Math.floor((milliCpu * SHARES_PER_CPU) / 1000);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** The CFS quota for a limit in millicores over `period` µs: 0 (none) without a limit, else at least 1000 µs. */
export function milliCpuToQuota(milliCpu: number, period = QUOTA_PERIOD): number {
  if (milliCpu === 0) return 0;
  return Math.max(MIN_QUOTA_PERIOD, Math.floor((milliCpu * period) / 1000));
}

/** A quantity in millicores, rounded up as Kubernetes' `MilliValue`. */
export function milliValue(quantity: string | number | undefined): number {
  return quantity === undefined ? 0 : Math.ceil(parseQuantity(quantity) * 1000 - 1e-9);
}

/** A quantity in whole units, rounded up as Kubernetes' `Value`. */
export function wholeValue(quantity: string | number | undefined): number {
  return quantity === undefined ? 0 : Math.ceil(parseQuantity(quantity) - 1e-9);
}

/**
 * The cgroup settings of a container: `requests.cpu` (or `limits.cpu` when
 * there is no request) becomes CPU shares, `limits.cpu` a CFS quota with a
 * 100 ms period, `limits.memory` a memory limit without extra swap.
 */
export function linuxResources(container: Container): LinuxResources {
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const cpuLimit = milliValue(limits.cpu);
  const cpuRequest = milliValue(requests.cpu);
  const result: LinuxResources = { CpuShares: milliCpuToShares(cpuRequest === 0 ? cpuLimit : cpuRequest) };
  const quota = milliCpuToQuota(cpuLimit);
  if (quota > 0) Object.assign(result, { CpuPeriod: QUOTA_PERIOD, CpuQuota: quota });
  const memory = wholeValue(limits.memory);
  if (memory > 0) Object.assign(result, { Memory: memory, MemorySwap: memory });
  return result;
}
