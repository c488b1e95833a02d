/** An error answered by the Docker Engine, or met on the way to it. */
export class DockerError extends Error {
  /**
   * @param status HTTP status the Engine answered, or 0 when it could not be reached.
   * @param endpoint The Engine API call, e.g. `POST /containers/create`.
   * @param engineMessage The Engine's own message, as it sent it.
   */
  constructor(
    readonly status: number,
    readonly endpoint: string,
    readonly engineMessage: string,
  ) {
    super(
      status === 0
        ? `docker engine unreachable (${endpoint}): ${engineMessage}`
        : `docker engine ${endpoint}: ${status} ${engineMessage}`,
    );
    this.name = "DockerError";
  }

  /** True when the Engine answered 404 (no such container, image, ...). */
  get notFound(): boolean {
    return this.status === 404;
  }
}
