import type { ConfigMapObject, ConfigObjects, SecretObject } from "../../src/api/config_objects.ts";

/** ConfigObjects over fixed lists, looked up by namespace and name. */
export function objectsOf(
  configMaps: Partial<ConfigMapObject>[],
  secrets: Partial<SecretObject>[] = [],
): ConfigObjects {
  const cm = (o: Partial<ConfigMapObject>): ConfigMapObject => ({
    namespace: "default",
    name: "",
    data: {},
    binaryData: {},
    immutable: false,
    origin: "test",
    ...o,
  });
  const s = (o: Partial<SecretObject>): SecretObject => ({
    namespace: "default",
    name: "",
    type: "Opaque",
    data: {},
    immutable: false,
    origin: "test",
    ...o,
  });
  return {
    configMap: (ns, name) => configMaps.map(cm).find((o) => o.namespace === ns && o.name === name),
    secret: (ns, name) => secrets.map(s).find((o) => o.namespace === ns && o.name === name),
  };
}
