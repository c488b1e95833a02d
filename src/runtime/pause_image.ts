/**
 * The infra container's image. The binary carries a tiny pause program and,
 * when the default image is missing, builds it with the Engine's image import,
 * so no registry is needed.
 *
 * @module
 */
import type { DockerClient } from "../docker/client.ts";
import { splitImageRef } from "../docker/client.ts";
import { pauseBinary } from "../docker/pause_binary.ts";
import { tar } from "../docker/tar.ts";
import type { Logger } from "../log.ts";

/** The default `--pod-infra-container-image`, built locally from the embedded pause program. */
export const DEFAULT_PAUSE_IMAGE = "standalone-kubelet/pause:1.0";

/**
 * Makes the infra image present: imports the embedded pause program as
 * {@link DEFAULT_PAUSE_IMAGE}, or pulls any other image when it is missing.
 */
export async function ensurePauseImage(
  docker: DockerClient,
  image: string,
  arch: string,
  log: Logger,
): Promise<void> {
  if (await docker.inspectImage(image)) return;
  if (image !== DEFAULT_PAUSE_IMAGE) {
    log.info(`pulling infra container image ${image}`);
    await docker.pullImage(image);
    return;
  }
  const { repo, tag } = splitImageRef(image);
  const archive = tar([{ name: "pause", data: pauseBinary(arch), mode: 0o755 }]);
  await docker.importImage(archive, repo, tag, ['ENTRYPOINT ["/pause"]']);
  log.info(`built infra container image ${image} from the embedded pause program (${arch})`);
}
