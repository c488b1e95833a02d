import type { Pod } from "../../src/api/types.ts";

/** The walkthrough's nginx pod, as decoded from its manifest (examples/nginx.yaml); a new object each call. */
export function nginx(): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "nginx" },
    spec: {
      containers: [
        {
          name: "nginx",
          image: "nginx",
          ports: [{ containerPort: 80 }],
          volumeMounts: [{ mountPath: "/var/log/nginx", name: "nginx-logs" }],
        },
        {
          name: "log-truncator",
          image: "busybox",
          command: ["/bin/sh"],
          args: ["-c", "while true; do cat /dev/null > /logdir/access.log; sleep 10; done"],
          volumeMounts: [{ mountPath: "/logdir", name: "nginx-logs" }],
        },
      ],
      volumes: [{ name: "nginx-logs", emptyDir: {} }],
    },
  };
}
