/**
 * Validation of what a pod says about names: `hostname`, `subdomain`,
 * `hostAliases` and its DNS (`dnsPolicy` `None` needs a `dnsConfig`), as the
 * API server's validation.go does it.
 *
 * @module
 */

import {
  dnsLabel,
  dnsSubdomain,
  invalid,
  ip,
  list,
  type Obj,
  object,
  optionalString,
  required,
  requiredString,
} from "./_field.ts";

/** At most this many nameservers, search domains and search characters (validation.go). */
export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
const MAX_DNS_SEARCH_LIST_CHARS = 2048;

/** Checks `hostname`, `subdomain`, `hostAliases` and `dnsConfig`. */
export function validatePodNames(spec: Obj, errs: string[]): void {
  const hostname = optionalString(spec.hostname, "spec.hostname", errs);
  if (hostname) dnsLabel(hostname, "spec.hostname", errs);
  const subdomain = optionalString(spec.subdomain, "spec.subdomain", errs);
  if (subdomain) dnsLabel(subdomain, "spec.subdomain", errs);
  list(spec.hostAliases, "spec.hostAliases", errs).forEach((a, i) => {
    const at = `spec.hostAliases[${i}]`;
    const alias = object(a, at, errs);
    if (!alias) return;
    const address = requiredString(alias.ip, `${at}.ip`, errs);
    if (address !== undefined) ip(address, `${at}.ip`, errs);
    list(alias.hostnames, `${at}.hostnames`, errs).forEach((h, j) => {
      const name = requiredString(h, `${at}.hostnames[${j}]`, errs);
      if (name !== undefined) dnsSubdomain(name, `${at}.hostnames[${j}]`, errs);
    });
  });
  validateDnsConfig(spec, errs);
}

function validateDnsConfig(spec: Obj, errs: string[]): void {
  const path = "spec.dnsConfig";
  const config = object(spec.dnsConfig, path, errs);
  if (spec.dnsPolicy === "None") {
    if (!config) return void errs.push(required(path, "must provide `dnsConfig` when `dnsPolicy` is None"));
    if (!Array.isArray(config.nameservers) || config.nameservers.length === 0) {
      return void errs.push(
        required(`${path}.nameservers`, "must provide at least one DNS nameserver when `dnsPolicy` is None"),
      );
    }
  }
  if (!config) return;
  const nameservers = list(config.nameservers, `${path}.nameservers`, errs);
  if (nameservers.length > MAX_DNS_NAMESERVERS) {
    errs.push(
      invalid(
        `${path}.nameservers`,
        nameservers,
        `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`,
      ),
    );
  }
  nameservers.forEach((n, i) => {
    const address = requiredString(n, `${path}.nameservers[${i}]`, errs);
    if (address !== undefined) ip(address, `${path}.nameservers[${i}]`, errs);
  });
  const searches = list(config.searches, `${path}.searches`, errs);
  if (searches.length > MAX_DNS_SEARCH_PATHS) {
    errs.push(
      invalid(`${path}.searches`, searches, `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`),
    );
  }
  if (searches.join(" ").length > MAX_DNS_SEARCH_LIST_CHARS) {
    errs.push(
      invalid(
        `${path}.searches`,
        searches,
        `must not have more than ${MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) in the search list`,
      ),
    );
  }
  searches.forEach((s, i) => {
    const search = requiredString(s, `${path}.searches[${i}]`, errs);
    // A trailing dot is fine.
    if (search !== undefined) dnsSubdomain(search.replace(/\.$/, ""), `${path}.searches[${i}]`, errs);
  });
  list(config.options, `${path}.options`, errs).forEach((o, i) => {
    const option = object(o, `${path}.options[${i}]`, errs);
    if (!option) return;
    if (option.name == null || option.name === "") {
      errs.push(required(`${path}.options[${i}]`, "must not be empty"));
    } else optionalString(option.name, `${path}.options[${i}].name`, errs);
    optionalString(option.value, `${path}.options[${i}].value`, errs);
  });
}
