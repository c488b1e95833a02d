/**
 * Checks an image reference against the grammar of the Docker reference
 * library (github.com/distribution/reference, `regexp.go`), as the kubelet
 * does before anything else for a container: a reference it cannot parse is
 * the kubelet's `InvalidImageName`, and no container is made for it.
 *
 * @module
 */

import { invalid, show } from "./_field.ts";

const ALPHANUMERIC = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|[-]+)";
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const HOST = `(?:${DOMAIN_NAME}|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
/** The longest tag. */
const TAG_MAX = 128;
const TAG = `[\\w][\\w.-]{0,${TAG_MAX - 1}}`;
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);
/** The longest repository name (`NameTotalLengthMax`). */
const NAME_MAX = 255;

/** The longest image quoted whole in an error: a digest and the longest name and tag fit. */
const QUOTED_MAX = 1024;

/** Whether `image` is a reference the Docker reference grammar accepts. */
export function isImageReference(image: string): boolean {
  // What comes before a digest is a name and a tag, which cannot be longer than this: the
  // grammar is not run on a longer text (it takes 100 ms on 1 MiB).
  const digest = image.indexOf("@");
  if ((digest < 0 ? image.length : digest) > NAME_MAX + 1 + TAG_MAX) return false;
  const m = REFERENCE.exec(image);
  return m !== null && m[1].length <= NAME_MAX;
}

/**
 * Reports an image the kubelet could not parse, with the kubelet's
 * `InvalidImageName` message.
 */
export function validateImage(image: string, path: string, errs: string[]): void {
  if (isImageReference(image)) return;
  // The image twice in full, as the kubelet words it, unless it is far longer than any image.
  const quoted = image.length <= QUOTED_MAX ? JSON.stringify(image) : show(image);
  errs.push(
    invalid(
      path,
      image,
      `InvalidImageName: Failed to apply default image tag ${quoted}: couldn't parse image name ${quoted}: invalid reference format`,
    ),
  );
}
