/**
 * ConfigMaps and Secrets as the sources deliver them (a stand-in with part A's
 * interface until its `objects:` commit is merged; that file replaces this one).
 *
 * @module
 */

export interface ConfigMapObject {
  namespace: string;
  name: string;
  data: Record<string, string>;
  binaryData: Record<string, Uint8Array>;
  immutable: boolean;
  origin: string;
}
export interface SecretObject {
  namespace: string;
  name: string;
  type: string;
  data: Record<string, Uint8Array>;
  immutable: boolean;
  origin: string;
}
export interface ConfigObjects {
  configMap(namespace: string, name: string): ConfigMapObject | undefined;
  secret(namespace: string, name: string): SecretObject | undefined;
}
