/**
 * A compact schema of the core/v1 Pod: every field name of each type a pod
 * manifest can hold, what the field holds, and whether the standalone kubelet
 * acts on it. The field warnings walk a manifest along it.
 *
 * @module
 */

/**
 * What a field holds, as a small type language:
 *
 * - a scalar: `"string"`, `"bool"`, `"int32"`, `"int64"`, `"quantity"` (a
 *   resource quantity: a string or a number), `"intOrString"`, or `"any"`;
 * - `"map"`: a map from strings to strings (labels); `"quantityMap"`: to
 *   quantities (limits); `"object"`: any object, not walked further;
 * - `"Name"`: an object of type `Name` of {@linkcode POD_SCHEMA};
 * - `"[]T"`: a list of `T`;
 * - a leading `"!"`: accepted, but the standalone kubelet does not act on it
 *   (it is listed in the manifest's "ignored" warning);
 * - a leading `"-"`: accepted silently: written by the API server, or a default.
 *
 * The types are the core/v1 OpenAPI schema's, so that a value of the wrong
 * type is refused as the API server refuses it.
 */
export type FieldType = string;

import { API_VOLUME_FIELDS, API_VOLUME_SCHEMA } from "./known_volume_fields.ts";

const IGNORED = "!";
const SILENT = "-";

/** Every type of a pod manifest, by name, with its fields. */
export const POD_SCHEMA: Record<string, Record<string, FieldType>> = {
  Pod: { apiVersion: "string", kind: "string", metadata: "ObjectMeta", spec: "PodSpec", status: "-object" },
  ObjectMeta: {
    name: "string",
    generateName: "!string",
    namespace: "string",
    uid: "string",
    labels: "map",
    annotations: "map",
    ownerReferences: "![]object",
    finalizers: "![]string",
    selfLink: "-string",
    resourceVersion: "-string",
    generation: "-int64",
    creationTimestamp: "-string",
    deletionTimestamp: "-string",
    deletionGracePeriodSeconds: "-int64",
    managedFields: "-[]object",
  },
  PodSpec: {
    volumes: "[]Volume",
    initContainers: "[]Container",
    containers: "[]Container",
    ephemeralContainers: "![]object",
    restartPolicy: "string",
    terminationGracePeriodSeconds: "int64",
    activeDeadlineSeconds: "int64",
    dnsPolicy: "string",
    dnsConfig: "PodDNSConfig",
    nodeSelector: "!map",
    nodeName: "-string",
    serviceAccountName: "!string",
    serviceAccount: "!string",
    automountServiceAccountToken: "!bool",
    hostNetwork: "bool",
    hostPID: "bool",
    hostIPC: "bool",
    shareProcessNamespace: "bool",
    securityContext: "PodSecurityContext",
    imagePullSecrets: "[]LocalObjectReference",
    hostname: "string",
    subdomain: "string",
    setHostnameAsFQDN: "!bool",
    hostAliases: "[]HostAlias",
    affinity: "!object",
    schedulerName: "!string",
    tolerations: "![]Toleration",
    priorityClassName: "!string",
    priority: "!int32",
    preemptionPolicy: "!string",
    readinessGates: "![]object",
    runtimeClassName: "!string",
    enableServiceLinks: "-bool",
    overhead: "!quantityMap",
    topologySpreadConstraints: "![]object",
    os: "!PodOS",
    hostUsers: "!bool",
    schedulingGates: "![]object",
    resourceClaims: "![]object",
    resources: "!object",
  },
  PodSecurityContext: {
    runAsUser: "int64",
    runAsGroup: "int64",
    runAsNonRoot: "bool",
    supplementalGroups: "[]int64",
    supplementalGroupsPolicy: "!string",
    fsGroup: "int64",
    fsGroupChangePolicy: "!string",
    sysctls: "[]Sysctl",
    seccompProfile: "SeccompProfile",
    seLinuxOptions: "!SELinuxOptions",
    seLinuxChangePolicy: "!string",
    appArmorProfile: "!AppArmorProfile",
    windowsOptions: "!object",
  },
  PodOS: { name: "string" },
  LocalObjectReference: { name: "string" },
  Toleration: {
    key: "string",
    operator: "string",
    value: "string",
    effect: "string",
    tolerationSeconds: "int64",
  },
  SELinuxOptions: { user: "string", role: "string", type: "string", level: "string" },
  AppArmorProfile: { type: "string", localhostProfile: "string" },
  Sysctl: { name: "string", value: "string" },
  SeccompProfile: { type: "string", localhostProfile: "string" },
  PodDNSConfig: { nameservers: "[]string", searches: "[]string", options: "[]PodDNSConfigOption" },
  PodDNSConfigOption: { name: "string", value: "string" },
  HostAlias: { ip: "string", hostnames: "[]string" },
  Volume: {
    name: "string",
    emptyDir: "EmptyDirVolumeSource",
    hostPath: "HostPathVolumeSource",
    // Other volume types are known to Kubernetes; validation rejects them with its own message.
    ...Object.fromEntries(
      [
        "awsElasticBlockStore",
        "azureDisk",
        "azureFile",
        "cephfs",
        "cinder",
        "csi",
        "ephemeral",
        "fc",
        "flexVolume",
        "flocker",
        "gcePersistentDisk",
        "gitRepo",
        "glusterfs",
        "image",
        "iscsi",
        "nfs",
        "persistentVolumeClaim",
        "photonPersistentDisk",
        "portworxVolume",
        "quobyte",
        "rbd",
        "scaleIO",
        "storageos",
        "vsphereVolume",
      ].map((name) => [name, "object"]),
    ),
    ...API_VOLUME_FIELDS,
  },
  ...API_VOLUME_SCHEMA,
  EmptyDirVolumeSource: { medium: "string", sizeLimit: "quantity" },
  HostPathVolumeSource: { path: "string", type: "string" },
  Container: {
    name: "string",
    image: "string",
    command: "[]string",
    args: "[]string",
    workingDir: "string",
    ports: "[]ContainerPort",
    envFrom: "[]EnvFromSource",
    env: "[]EnvVar",
    resources: "ResourceRequirements",
    resizePolicy: "![]object",
    restartPolicy: "string",
    volumeMounts: "[]VolumeMount",
    volumeDevices: "![]object",
    livenessProbe: "Probe",
    readinessProbe: "Probe",
    startupProbe: "Probe",
    lifecycle: "Lifecycle",
    terminationMessagePath: "string",
    terminationMessagePolicy: "string",
    imagePullPolicy: "string",
    securityContext: "SecurityContext",
    stdin: "bool",
    stdinOnce: "!bool",
    tty: "bool",
  },
  ContainerPort: {
    name: "string",
    hostPort: "int32",
    containerPort: "int32",
    protocol: "string",
    hostIP: "string",
  },
  EnvVar: { name: "string", value: "string", valueFrom: "EnvVarSource" },
  KeySelector: { name: "string", key: "string", optional: "bool" },
  EnvFromSource: { prefix: "string", configMapRef: "EnvSourceRef", secretRef: "EnvSourceRef" },
  EnvSourceRef: { name: "string", optional: "bool" },
  EnvVarSource: {
    fieldRef: "ObjectFieldSelector",
    resourceFieldRef: "ResourceFieldSelector",
    configMapKeyRef: "KeySelector",
    secretKeyRef: "KeySelector",
    fileKeyRef: "object",
  },
  ObjectFieldSelector: { apiVersion: "string", fieldPath: "string" },
  ResourceFieldSelector: { containerName: "string", resource: "string", divisor: "quantity" },
  ResourceRequirements: { limits: "quantityMap", requests: "quantityMap", claims: "![]object" },
  VolumeMount: {
    name: "string",
    mountPath: "string",
    readOnly: "bool",
    subPath: "string",
    subPathExpr: "!string",
    mountPropagation: "!string",
    recursiveReadOnly: "!string",
  },
  Probe: {
    exec: "ExecAction",
    httpGet: "HTTPGetAction",
    tcpSocket: "TCPSocketAction",
    grpc: "GRPCAction",
    initialDelaySeconds: "int32",
    timeoutSeconds: "int32",
    periodSeconds: "int32",
    successThreshold: "int32",
    failureThreshold: "int32",
    terminationGracePeriodSeconds: "int64",
  },
  GRPCAction: { port: "int32", service: "string" },
  Lifecycle: { postStart: "LifecycleHandler", preStop: "LifecycleHandler", stopSignal: "!string" },
  LifecycleHandler: {
    exec: "ExecAction",
    httpGet: "HTTPGetAction",
    tcpSocket: "TCPSocketAction",
    sleep: "SleepAction",
  },
  ExecAction: { command: "[]string" },
  HTTPGetAction: {
    path: "string",
    port: "intOrString",
    host: "string",
    scheme: "string",
    httpHeaders: "[]HTTPHeader",
  },
  HTTPHeader: { name: "string", value: "string" },
  TCPSocketAction: { port: "intOrString", host: "string" },
  SleepAction: { seconds: "int64" },
  SecurityContext: {
    capabilities: "Capabilities",
    privileged: "bool",
    runAsUser: "int64",
    runAsGroup: "int64",
    runAsNonRoot: "bool",
    readOnlyRootFilesystem: "bool",
    allowPrivilegeEscalation: "bool",
    seccompProfile: "SeccompProfile",
    procMount: "!string",
    seLinuxOptions: "!SELinuxOptions",
    appArmorProfile: "!AppArmorProfile",
    windowsOptions: "!object",
  },
  Capabilities: { add: "[]string", drop: "[]string" },
};

/** Where each of the main types sits in a pod, to say where a misplaced field belongs. */
export const TYPE_PATHS: Record<string, string> = {
  Pod: "",
  ObjectMeta: "metadata",
  PodSpec: "spec",
  PodSecurityContext: "spec.securityContext",
  Container: "spec.containers[]",
  SecurityContext: "spec.containers[].securityContext",
  Volume: "spec.volumes[]",
};

/** Whether a field type marks a field the standalone kubelet ignores. */
export function isIgnored(type: FieldType): boolean {
  return type.startsWith(IGNORED);
}

/** Whether a field type marks a field accepted silently (written by the API server, or a default). */
export function isSilent(type: FieldType): boolean {
  return type.startsWith(SILENT);
}

/** The type of the value a field holds, without its `!` or `-` mark. */
export function valueType(type: FieldType): string {
  return isIgnored(type) || isSilent(type) ? type.slice(1) : type;
}
