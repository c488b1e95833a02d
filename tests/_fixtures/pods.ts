/**
 * Pod manifests shared by the end-to-end tests and the benchmarks.
 *
 * @module
 */

/** A one-container busybox pod; `script` runs under sh. */
export function busyboxPod(name: string, script: string, extra = ""): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: 2
${extra}  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: ["sh", "-c", ${JSON.stringify(script)}]
`;
}

/** A busybox pod whose first run exits 1 and whose second keeps running (restartCount 1). */
export function crashOncePod(name: string): string {
  return busyboxPod(
    name,
    "if [ -f /data/ran ]; then sleep 1000; fi; touch /data/ran; exit 1",
    "  volumes: [{name: data, emptyDir: {}}]\n",
  )
    .replace("    command:", "    volumeMounts: [{name: data, mountPath: /data}]\n    command:");
}
