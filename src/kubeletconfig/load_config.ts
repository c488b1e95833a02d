/**
 * `--config PATH`: a KubeletConfiguration file whose fields fill in the
 * flags not given on the command line, or (deprecated, today's meaning
 * before configuration files) a manifest file or directory.
 *
 * @module
 */
import type { Platform } from "../platform/types.ts";
import { isKubeletConfiguration, KubeletConfigError, parseKubeletConfig } from "./kubelet_config_file.ts";

type Fs = Pick<Platform, "stat" | "readTextFile">;

/** The options the kubelet starts with, and the warnings to log once its log is set up. */
export interface StartupOptions {
  options: Record<string, unknown>;
  warnings: string[];
}

/**
 * Resolves `--config` in cac's `options`: the result has no `config`, and
 * either the file's settings under the flags given, or `podManifestPath`.
 *
 * @throws {KubeletConfigError} (`--config PATH: field: problem`) when the path is missing or the file is wrong
 */
export async function loadStartupOptions(fs: Fs, flags: Record<string, unknown>): Promise<StartupOptions> {
  const { config, ...given } = flags;
  if (config === undefined || config === false) return { options: flags, warnings: [] };
  if (typeof config !== "string" || config === "") {
    throw new KubeletConfigError("--config: expected one path");
  }
  const info = await fs.stat(config).catch((e) => e as Error);
  if (info instanceof Error) throw new KubeletConfigError(`--config ${config}: ${info.message}`);
  if (info === null) throw new KubeletConfigError(`--config ${config}: no such file or directory`);
  const text = info.isFile ? await fs.readTextFile(config) : undefined;
  if (text === undefined || !isKubeletConfiguration(text)) {
    const deprecated = `--config naming a manifest ${
      info.isDirectory ? "directory" : "file"
    } is deprecated: use --pod-manifest-path ${config} (--config is for a KubeletConfiguration file)`;
    if (given.podManifestPath !== undefined) {
      throw new KubeletConfigError(
        `--config ${config}: a manifest path, and --pod-manifest-path gives another`,
      );
    }
    return { options: { ...given, podManifestPath: config }, warnings: [deprecated] };
  }
  let file;
  try {
    file = parseKubeletConfig(text, config.replace(/\/[^/]*$/, "") || "/");
  } catch (error) {
    if (error instanceof KubeletConfigError) {
      throw new KubeletConfigError(`--config ${config}: ${error.message}`);
    }
    throw error;
  }
  const warnings: string[] = [];
  if (file.notImplemented.length) {
    warnings.push(
      `--config ${config}: fields not implemented by the standalone kubelet, ignored: ${
        file.notImplemented.join(", ")
      }`,
    );
  }
  if (file.unknown.length) {
    warnings.push(`--config ${config}: unknown fields, ignored: ${file.unknown.join(", ")}`);
  }
  // Flags given on the command line override the file, as in the kubelet.
  const explicit = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  return { options: { ...file.options, ...explicit }, warnings };
}
