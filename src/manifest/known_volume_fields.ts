/**
 * The schema of the API-data volume sources (configMap, secret, downwardAPI,
 * projected) for {@linkcode POD_SCHEMA}, with core/v1's field types.
 *
 * @module
 */
/** A field type in the notation of `known_fields.ts` (its `FieldType`; not imported, as that file imports this one). */
type FieldType = string;

/** The volume source fields of `Volume` this schema describes. */
export const API_VOLUME_FIELDS: Record<string, FieldType> = {
  configMap: "ConfigMapVolumeSource",
  secret: "SecretVolumeSource",
  downwardAPI: "DownwardAPIVolumeSource",
  projected: "ProjectedVolumeSource",
};

/** The types of the API-data volume sources, by name. */
export const API_VOLUME_SCHEMA: Record<string, Record<string, FieldType>> = {
  KeyToPath: { key: "string", path: "string", mode: "int32" },
  ConfigMapVolumeSource: { name: "string", items: "[]KeyToPath", defaultMode: "int32", optional: "bool" },
  SecretVolumeSource: { secretName: "string", items: "[]KeyToPath", defaultMode: "int32", optional: "bool" },
  DownwardAPIVolumeFile: {
    path: "string",
    fieldRef: "ObjectFieldSelector",
    resourceFieldRef: "ResourceFieldSelector",
    mode: "int32",
  },
  DownwardAPIVolumeSource: { items: "[]DownwardAPIVolumeFile", defaultMode: "int32" },
  ProjectedVolumeSource: { sources: "[]VolumeProjection", defaultMode: "int32" },
  VolumeProjection: {
    configMap: "ConfigMapProjection",
    secret: "SecretProjection",
    downwardAPI: "DownwardAPIProjection",
    // Known to Kubernetes; validation rejects them with its own message.
    serviceAccountToken: "object",
    clusterTrustBundle: "object",
    podCertificate: "object",
  },
  ConfigMapProjection: { name: "string", items: "[]KeyToPath", optional: "bool" },
  SecretProjection: { name: "string", items: "[]KeyToPath", optional: "bool" },
  DownwardAPIProjection: { items: "[]DownwardAPIVolumeFile" },
};
