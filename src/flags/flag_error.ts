/**
 * The one error type of a bad command line or configuration file: the CLI prints its message on
 * one line and exits 2.
 *
 * @module
 */

/** A flag (or a `--config` file field) with a bad value; the message names it. */
export class FlagError extends Error {
  override name = "FlagError";
}
