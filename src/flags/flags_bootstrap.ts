/**
 * The flags for bootstrapping a control plane: the URL source
 * (`--manifest-url`, `--manifest-url-header`, `--http-check-frequency`),
 * `--runonce` and `--resolv-conf`, with the kubelet's names and defaults.
 *
 * @module
 */
import { parseDuration } from "../duration.ts";
import { FlagError } from "./flag_error.ts";

/** The settings these flags give (part of `KubeletFlags`). */
export interface BootstrapFlags {
  /** URL of more static pods; undefined: no URL source. */
  manifestUrl?: string;
  /** Headers of each request to the URL, in order; a name may repeat. */
  manifestUrlHeaders: [string, string][];
  httpCheckFrequencyMs: number;
  /** Start the pods, report whether they run, and exit. */
  runOnce: boolean;
  /** The resolver configuration pods start from; "" for none. */
  resolvConf: string;
}

/** Defaults, as `--help` shows them. */
export const BOOTSTRAP_FLAG_DEFAULTS = {
  httpCheckFrequency: "20s",
  resolvConf: "/etc/resolv.conf",
};

/**
 * The options `parseBootstrapFlags` reads, for cac (the run command's). No
 * cac defaults: an option not given stays undefined, so that a configuration
 * file can fill it in; the help shows each default in its description.
 */
export function addBootstrapOptions(
  cli: { option(raw: string, description: string, config?: { default?: unknown }): unknown },
): void {
  cli.option("--manifest-url <url>", "URL for more static pods (a Pod, a PodList or several YAML documents)");
  cli.option(
    "--manifest-url-header <headers>",
    "Comma-separated key:value HTTP headers for --manifest-url; repeatable, e.g. --manifest-url-header 'a:hello,b:again' --manifest-url-header 'b:beautiful'",
  );
  cli.option(
    "--http-check-frequency <duration>",
    `How often to read --manifest-url (default: ${BOOTSTRAP_FLAG_DEFAULTS.httpCheckFrequency})`,
  );
  cli.option(
    "--runonce",
    "Start the pods of the manifest path and URL, report whether each runs, and exit (0: all run)",
  );
  // [path]: the value may be empty, which mri passes as true (--resolv-conf=) or 0 (--resolv-conf "").
  cli.option(
    "--resolv-conf [path]",
    `Resolver configuration that pods start from, "" for none (default: ${BOOTSTRAP_FLAG_DEFAULTS.resolvConf})`,
  );
}

/**
 * Parses `--manifest-url-header` values as the kubelet's
 * `ColonSeparatedMultimapStringString`: comma-separated `key:value` pairs,
 * split at the first colon, both sides trimmed, empty pairs skipped.
 *
 * @throws {Error} for a pair without a colon, a name that is not an HTTP
 *   header name, or a value holding CR, LF or NUL
 */
export function parseUrlHeaders(values: string[]): [string, string][] {
  const headers: [string, string][] = [];
  for (const value of values) {
    for (const pair of value.split(",")) {
      if (pair.length === 0) continue;
      const colon = pair.indexOf(":");
      if (colon < 0) {
        throw new FlagError(
          `--manifest-url-header: malformed pair ${JSON.stringify(pair)}, expect string:string`,
        );
      }
      const name = pair.slice(0, colon).trim();
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
        throw new FlagError(
          `--manifest-url-header: ${JSON.stringify(name)} is not an HTTP header name`,
        );
      }
      const raw = pair.slice(colon + 1);
      // A CR or LF would end the header and start another (request splitting); NUL is never valid.
      if (/[\r\n\0]/.test(raw)) {
        throw new FlagError(
          `--manifest-url-header: the value of ${JSON.stringify(name)} holds a line break or NUL`,
        );
      }
      headers.push([name, raw.trim()]);
    }
  }
  return headers;
}

function many(value: unknown): string[] {
  if (value === undefined || value === null || value === false) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * Turns parsed options into settings.
 *
 * @param options camel-cased options as cac gives them
 * @throws {FlagError} naming the flag when a value is bad
 */
export function parseBootstrapFlags(options: Record<string, unknown>): BootstrapFlags {
  const urls = many(options.manifestUrl);
  if (urls.length > 1) throw new FlagError("--manifest-url: expected one value");
  const manifestUrl = urls[0] || undefined;
  if (manifestUrl !== undefined) {
    let protocol = "";
    try {
      protocol = new URL(manifestUrl).protocol;
    } catch { /* reported below */ }
    if (protocol !== "http:" && protocol !== "https:") {
      throw new FlagError(
        `--manifest-url: ${JSON.stringify(manifestUrl)} is not an http or https URL`,
      );
    }
  }
  let httpCheckFrequencyMs: number;
  try {
    httpCheckFrequencyMs = parseDuration(
      String(options.httpCheckFrequency ?? BOOTSTRAP_FLAG_DEFAULTS.httpCheckFrequency),
    );
  } catch (error) {
    throw new FlagError(`--http-check-frequency: ${(error as Error).message}`);
  }
  if (httpCheckFrequencyMs <= 0) {
    throw new FlagError("--http-check-frequency: must be greater than 0");
  }
  const runOnce = options.runonce === true || options.runonce === "true";
  if (runOnce && !manifestUrl && !options.config && !options.podManifestPath) {
    throw new FlagError(
      "--runonce: needs pods to run: give --pod-manifest-path, --manifest-url or --config with staticPodPath",
    );
  }
  const resolvConf =
    (Array.isArray(options.resolvConf)
      ? options.resolvConf
      : [options.resolvConf ?? BOOTSTRAP_FLAG_DEFAULTS.resolvConf])
      .map((v) => (v === true || v === 0 || v === "" ? "" : String(v)));
  return {
    manifestUrl,
    // The flag, or else the pairs of a configuration file's staticPodURLHeader.
    manifestUrlHeaders: options.manifestUrlHeader !== undefined
      ? parseUrlHeaders(many(options.manifestUrlHeader))
      : (options.manifestUrlHeaderPairs as [string, string][] | undefined) ?? [],
    httpCheckFrequencyMs,
    runOnce,
    resolvConf: resolvConf.length ? resolvConf[resolvConf.length - 1] : BOOTSTRAP_FLAG_DEFAULTS.resolvConf,
  };
}
