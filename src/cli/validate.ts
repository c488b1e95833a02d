/**
 * `kubelet validate FILE|DIR...`: checks manifests as the kubelet reads them
 * and prints `file:line: field: problem` for each problem; exits 1 when any
 * is an error.
 *
 * @module
 */
import { checkManifest, type Diagnostic, type WarningCheck } from "../manifest/check_manifest.ts";
import { isIgnoredManifestName } from "../manifest/ignored_file.ts";
import { MAX_MANIFEST_BYTES } from "../manifest/limits.ts";
import { quoteOrigin } from "../config/quote_origin.ts";
import type { Platform } from "../platform/types.ts";
import type { CliIo } from "./io.ts";

type Fs = Pick<Platform, "readDir" | "readTextFile" | "stat">;

/** One problem of one file. */
export interface FileDiagnostic extends Diagnostic {
  file: string;
}

/** `file:line: field: problem`, warnings marked as such. */
export function formatDiagnostic(d: FileDiagnostic): string {
  const file = quoteOrigin(d.file);
  const where = d.line > 0 ? `${file}:${d.line}` : file;
  return `${where}: ${d.field ? `${d.field}: ` : ""}${
    d.severity === "warning" ? "warning: " : ""
  }${d.problem}`;
}

/**
 * The manifest files under `path` as the file source lists them (a file, or
 * a directory's files in sorted order, without dot-files, editor leftovers
 * or sub-directories) and the problems of listing them.
 */
async function listManifests(fs: Fs, path: string): Promise<{ files: string[]; problems: FileDiagnostic[] }> {
  const problem = (
    file: string,
    text: string,
    severity: Diagnostic["severity"] = "error",
  ): FileDiagnostic => ({
    file,
    line: 0,
    field: "",
    problem: text,
    severity,
  });
  const info = await fs.stat(path).catch((e) => e as Error);
  if (info instanceof Error) return { files: [], problems: [problem(path, `cannot read: ${info.message}`)] };
  if (info === null) return { files: [], problems: [problem(path, "no such file or directory")] };
  if (info.isFile) return { files: [path], problems: [] };
  if (!info.isDirectory) {
    return { files: [], problems: [problem(path, "is neither a directory nor a regular file")] };
  }
  const files: string[] = [], problems: FileDiagnostic[] = [];
  const entries = (await fs.readDir(path)).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const e of entries) {
    const file = `${path.replace(/\/+$/, "")}/${e.name}`;
    if (isIgnoredManifestName(e.name)) continue;
    const target = e.isSymlink ? await fs.stat(file).catch(() => null) : e;
    if (!target) problems.push(problem(file, "symlink target does not exist"));
    else if (target.isFile) files.push(file);
    else if (target.isDirectory) {
      problems.push(problem(file, "is a directory; sub-directories are not read", "warning"));
    } else problems.push(problem(file, "is not a regular file; skipped", "warning"));
  }
  return { files, problems };
}

/** Checks every manifest under `paths`; resolves the exit code. */
export async function runValidate(
  io: CliIo,
  fs: Fs,
  paths: string[],
  warnings: WarningCheck[] = [],
): Promise<number> {
  let errors = 0, warned = 0, pods = 0, objects = 0, files = 0;
  for (const path of paths) {
    const listed = await listManifests(fs, path);
    const found: FileDiagnostic[] = [...listed.problems];
    for (const file of listed.files) {
      files++;
      let text: string;
      try {
        text = await fs.readTextFile(file, { maxBytes: MAX_MANIFEST_BYTES });
      } catch (error) {
        found.push({
          file,
          line: 0,
          field: "",
          problem: error instanceof RangeError
            ? `file is larger than ${MAX_MANIFEST_BYTES} bytes, the limit for a manifest; not read`
            : `cannot read: ${(error as Error).message}`,
          severity: "error",
        });
        continue;
      }
      const check = checkManifest(text, warnings);
      pods += check.pods;
      objects += check.objects;
      found.push(...check.diagnostics.map((d) => ({ ...d, file })));
    }
    for (const d of found) {
      if (d.severity === "error") errors++;
      else warned++;
      await io.out(formatDiagnostic(d) + "\n");
    }
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  await io.err(
    `${plural(files, "file")}, ${plural(pods, "valid pod")}${
      objects > 0 ? `, ${plural(objects, "valid ConfigMap/Secret")}` : ""
    }: ${plural(errors, "error")}, ${plural(warned, "warning")}\n`,
  );
  return errors > 0 ? 1 : 0;
}
