/**
 * The etcd static pod of the end-to-end tests and the bootstrap benchmark:
 * the local etcd image (scripts/test_images.sh) on the host network.
 *
 * @module
 */

export const ETCD_IMAGE = "i4-etcd:local";

/** The etcd static pod, listening on 127.0.0.1 at `client` and `peer`, its data under `dataDir`. */
export function etcdManifest(
  node: string,
  dataDir: string,
  client: number,
  peer: number,
  extraArgs: string[] = [],
): string {
  const args = [
    "etcd",
    `--name=${node}`,
    "--data-dir=/var/lib/etcd",
    `--listen-client-urls=http://127.0.0.1:${client}`,
    `--advertise-client-urls=http://127.0.0.1:${client}`,
    `--listen-peer-urls=http://127.0.0.1:${peer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
    `--initial-cluster=${node}=http://127.0.0.1:${peer}`,
    ...extraArgs,
  ];
  return `apiVersion: v1
kind: Pod
metadata:
  name: etcd
  namespace: kube-system
  labels:
    component: etcd
    tier: control-plane
spec:
  hostNetwork: true
  priorityClassName: system-node-critical
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
  - name: etcd
    image: ${ETCD_IMAGE}
    imagePullPolicy: IfNotPresent
    command:
${args.map((a) => `    - ${a}`).join("\n")}
    resources:
      requests:
        cpu: 100m
        memory: 100Mi
    volumeMounts:
    - name: etcd-data
      mountPath: /var/lib/etcd
  volumes:
  - name: etcd-data
    hostPath:
      path: ${dataDir}
      type: DirectoryOrCreate
`;
}
