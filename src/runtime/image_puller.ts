/**
 * Makes a container's image present by its imagePullPolicy, pulling through
 * the Engine with throttled progress in the log, and remembering failures so
 * that pulls back off as the kubelet's do (ImagePullBackOff).
 *
 * @module
 */
import type { Container } from "../api/types.ts";
import type { DockerClient } from "../docker/client.ts";
import type { ImageInspect } from "../docker/types.ts";
import type { Logger } from "../log.ts";
import { isLocalOnlyImage } from "./local_only_image.ts";
import type { Keyring } from "../credentialprovider/docker_keyring.ts";
import type { RegistryCredential } from "../credentialprovider/docker_config.ts";
import { lookupCredentials } from "../credentialprovider/keyring.ts";
import { PullProgressReporter } from "./pull_progress.ts";

/** Why an image cannot be had now: the container's waiting reason and message. */
export interface ImageFailure {
  reason: "ErrImagePull" | "ImagePullBackOff" | "ErrImageNeverPull";
  message: string;
}

/** Engine messages that mean the registry could not be reached at all. */
const UNREACHABLE =
  /dial tcp|no such host|connection refused|i\/o timeout|network is unreachable|TLS handshake timeout|Client\.Timeout|server misbehaving|proxyconnect|temporary failure in name resolution|context deadline exceeded/i;

/** Records one of the image events (Pulling, Pulled, Failed, BackOff) for the container being started. */
export type ImageEventRecorder = (type: "Normal" | "Warning", reason: string, message: string) => void;

/** What a pull for one pod brings besides the node's credentials. */
export interface PodPullOptions {
  /** The pod's UID: pull back-off is kept per pod and image, as the kubelet keeps it. */
  uid?: string;
  /** The credentials of the pod's `imagePullSecrets`, tried before the node's own. */
  credentials?: readonly RegistryCredential[];
}

export class ImagePuller {
  #failures = new Map<string, { at: number; backoffMs: number; message: string }>();

  constructor(
    private readonly docker: DockerClient,
    private readonly log: Logger,
    private readonly now = Date.now,
    /** Registry credentials by image; none means anonymous pulls. */
    private readonly keyring: Keyring = () => Promise.resolve([]),
  ) {}

  /** Ensures `container.image` is present; resolves a failure instead of throwing when it cannot be. */
  async ensure(
    container: Container,
    podName: string,
    record?: ImageEventRecorder,
  ): Promise<ImageFailure | undefined> {
    const { failure } = await this.ensureImage(container, podName, record);
    return failure;
  }

  /**
   * Ensures `container.image` is present and resolves its inspect (inspected
   * once, again only after a pull), or why it cannot be had; `record` gets
   * the kubelet's image events (Pulling, Pulled, Failed, BackOff, ...).
   */
  async ensureImage(
    container: Container,
    podName: string,
    record?: ImageEventRecorder,
    pod?: PodPullOptions,
  ): Promise<{ failure?: ImageFailure; image?: ImageInspect }> {
    const before = await this.docker.inspectImage(container.image);
    const pulled = { image: false };
    const failure = await this.#ensure(container, podName, before, pulled, record, pod);
    if (failure) return { failure };
    if (before && !pulled.image) return { image: before };
    return { image: await this.docker.inspectImage(container.image) ?? undefined };
  }

  async #ensure(
    container: Container,
    podName: string,
    local: ImageInspect | null,
    pulled: { image: boolean },
    record?: ImageEventRecorder,
    pod?: PodPullOptions,
  ): Promise<ImageFailure | undefined> {
    const image = container.image;
    // The kubelet backs off per pod and image: one pod lacking a pull secret does not hold up another.
    const backoffKey = pod?.uid ? `${pod.uid}_${image}` : image;
    const policy = container.imagePullPolicy ?? "IfNotPresent";
    const present = local !== null;
    const alreadyPresent = () => (
      record?.("Normal", "Pulled", `Container image "${image}" already present on machine`), undefined
    );
    if (policy === "Never" || isLocalOnlyImage(this.docker.engine.kind, local)) {
      if (present) return alreadyPresent();
      const message = `Container image "${image}" is not present with pull policy of Never`;
      record?.("Warning", "ErrImageNeverPull", message);
      return { reason: "ErrImageNeverPull", message };
    }
    if (policy === "IfNotPresent" && present) return alreadyPresent();
    const failed = this.#failures.get(backoffKey);
    if (failed && this.now() - failed.at < failed.backoffMs) {
      if (present) return alreadyPresent();
      record?.("Normal", "BackOff", `Back-off pulling image "${image}"`);
      return { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}"` };
    }
    try {
      const started = this.now();
      record?.("Normal", "Pulling", `Pulling image "${image}"`);
      await this.#pull(image, podName, pod?.credentials ?? []);
      this.#failures.delete(backoffKey);
      pulled.image = true;
      record?.("Normal", "Pulled", `Successfully pulled image "${image}" in ${this.now() - started}ms`);
      return undefined;
    } catch (error) {
      const message = (error as Error).message;
      this.#failures.set(backoffKey, {
        at: this.now(),
        backoffMs: Math.min(300_000, (failed?.backoffMs ?? 5_000) * 2),
        message,
      });
      if (present && UNREACHABLE.test(message)) {
        // Hosts being bootstrapped are often cut off from registries: run what we have.
        this.log.warn(`pod ${podName}: registry unreachable pulling ${image}; using the local image`, {
          error: message,
        });
        return undefined;
      }
      this.log.error(`pod ${podName}: failed to pull image ${image}`, { error: message });
      record?.("Warning", "Failed", `Failed to pull image "${image}": ${message}`);
      record?.("Warning", "Failed", "Error: ErrImagePull");
      return { reason: "ErrImagePull", message: `failed to pull image "${image}": ${message}` };
    }
  }

  async #pull(image: string, podName: string, podCredentials: readonly RegistryCredential[]): Promise<void> {
    const started = this.now();
    this.log.info(`pod ${podName}: pulling image ${image}`);
    const progress = new PullProgressReporter(
      (line) => this.log.info(`pod ${podName}: pulling ${image}: ${line}`),
      this.now,
    );
    // As the kubelet's pullImage: each matching credential in turn (most
    // specific first) until one works; anonymous only when none matches.
    // The pod's pull secrets come before the node's own credentials (MakeDockerKeyring's union).
    const credentials = [...lookupCredentials(podCredentials, image), ...await this.keyring(image)];
    const attempts = credentials.length === 0 ? [undefined] : credentials;
    for (const [i, credential] of attempts.entries()) {
      const auth = credential && {
        username: credential.username,
        password: credential.password,
        serveraddress: credential.registry,
        ...(credential.identityToken ? { identitytoken: credential.identityToken } : {}),
      };
      try {
        await this.docker.pullImage(image, (p) => progress.update(p), undefined, auth);
        break;
      } catch (error) {
        if (i === attempts.length - 1) throw error;
        this.log.info(
          `pod ${podName}: pulling ${image} with the credentials for ${credential!.registry} failed`,
          {
            error: (error as Error).message,
          },
        );
      }
    }
    this.log.info(
      `pod ${podName}: pulled image ${image} in ${
        ((this.now() - started) / 1000).toFixed(1)
      }s (${progress.line()})`,
    );
  }
}
