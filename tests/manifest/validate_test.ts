import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "../../src/api/types.ts";
import { nginx } from "../testdata/walkthrough_pod.ts";
import { validatePod } from "../../src/manifest/validate.ts";

// Loose access for cases that put values of the wrong type into the pod.
// deno-lint-ignore no-explicit-any
type Any = any;

describe("validatePod", () => {
  test("accepts the walkthrough's pod", () => {
    assert.deepEqual(validatePod(nginx()), []);
  });

  const cases: [string, (pod: Any) => void, string[]][] = [
    ["a pod without a name", (p) => delete p.metadata.name, ["metadata.name: Required value"]],
    ["a pod without containers", (p) => (p.spec.containers = []), ["spec.containers: Required value"]],
    ["a pod without spec", (p) => delete p.spec, ["spec.containers: Required value"]],
    ["a container without an image", (p) => delete p.spec.containers[0].image, [
      "spec.containers[0].image: Required value",
    ]],
    ["two containers with one name", (p) => (p.spec.containers[1].name = "nginx"), [
      'spec.containers[1].name: Duplicate value: "nginx"',
    ]],
    [
      "an init container named like a container",
      (p) => (p.spec.initContainers = [{ name: "nginx", image: "busybox" }]),
      [
        'spec.initContainers[0].name: Duplicate value: "nginx"',
      ],
    ],
    ["a mount of a volume that does not exist", (p) => (p.spec.containers[0].volumeMounts[0].name = "logs"), [
      'spec.containers[0].volumeMounts[0].name: Not found: "logs"',
    ]],
    ["two volumes with one name", (p) => p.spec.volumes.push({ name: "nginx-logs", emptyDir: {} }), [
      'spec.volumes[1].name: Duplicate value: "nginx-logs"',
    ]],
    ["a volume without a source", (p) => (p.spec.volumes = [{ name: "nginx-logs" }]), [
      "spec.volumes[0]: Required value: must specify a volume type",
    ]],
    ["a volume with two sources", (p) => (p.spec.volumes[0].hostPath = { path: "/var/log" }), [
      "spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type",
    ]],
    [
      "a persistentVolumeClaim volume",
      (p) => (p.spec.volumes = [{ name: "nginx-logs", persistentVolumeClaim: {} }]),
      [
        "spec.volumes[0].persistentVolumeClaim: Forbidden: volume type not supported by the standalone kubelet " +
        "(only emptyDir, hostPath, configMap, secret, downwardAPI, projected)",
      ],
    ],
    [
      "a relative hostPath",
      (p) => (p.spec.volumes = [{ name: "nginx-logs", hostPath: { path: "var/log" } }]),
      [
        'spec.volumes[0].hostPath.path: Invalid value: "var/log": must be an absolute path',
      ],
    ],
    [
      "an unknown hostPath type",
      (p) => (p.spec.volumes = [{ name: "nginx-logs", hostPath: { path: "/l", type: "Dir" } }]),
      [
        'spec.volumes[0].hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", ' +
        '"Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
      ],
    ],
    ["a bad restartPolicy", (p) => (p.spec.restartPolicy = "Sometimes"), [
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"',
    ]],
    ["a port above 65535", (p) => (p.spec.containers[0].ports[0].containerPort = 70000), [
      "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
    ]],
    ["a port without containerPort", (p) => (p.spec.containers[0].ports = [{ hostPort: 8080 }]), [
      "spec.containers[0].ports[0].containerPort: Required value",
    ]],
    ["a negative hostPort", (p) => (p.spec.containers[0].ports[0].hostPort = -1), [
      "spec.containers[0].ports[0].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive",
    ]],
    ["an unknown protocol", (p) => (p.spec.containers[0].ports[0].protocol = "HTTP"), [
      'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ]],
    ["a hostPort unlike containerPort under hostNetwork", (p) => {
      p.spec.hostNetwork = true;
      p.spec.containers[0].ports[0].hostPort = 8080;
    }, [
      "spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true",
    ]],
    ["a mount without mountPath", (p) => delete p.spec.containers[1].volumeMounts[0].mountPath, [
      "spec.containers[1].volumeMounts[0].mountPath: Required value",
    ]],
    ["a relative mountPath", (p) => (p.spec.containers[1].volumeMounts[0].mountPath = "logdir"), [
      'spec.containers[1].volumeMounts[0].mountPath: Invalid value: "logdir": must be an absolute path',
    ]],
    ["an absolute subPath", (p) => (p.spec.containers[1].volumeMounts[0].subPath = "/x"), [
      'spec.containers[1].volumeMounts[0].subPath: Invalid value: "/x": must be a relative path',
    ]],
    ["a subPath climbing out", (p) => (p.spec.containers[1].volumeMounts[0].subPath = "a/../../b"), [
      "spec.containers[1].volumeMounts[0].subPath: Invalid value: \"a/../../b\": must not contain '..'",
    ]],
    ["a probe without a handler", (p) => (p.spec.containers[0].livenessProbe = { periodSeconds: 5 }), [
      "spec.containers[0].livenessProbe: Required value: must specify a handler type",
    ]],
    ["a probe with two handlers", (p) => {
      p.spec.containers[0].readinessProbe = { tcpSocket: { port: 80 }, httpGet: { port: "http" } };
    }, ["spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"]],
    ["a negative probe period", (p) => {
      p.spec.containers[0].readinessProbe = { httpGet: { port: 80 }, periodSeconds: -1 };
    }, [
      "spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
    ]],
    ["a liveness probe needing two successes", (p) => {
      p.spec.containers[0].livenessProbe = { exec: { command: ["true"] }, successThreshold: 2 };
    }, ["spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"]],
    ["an env var from a secret with no key", (p) => {
      p.spec.containers[0].env = [{ name: "A", valueFrom: { secretKeyRef: { name: "s" } } }];
    }, [
      "spec.containers[0].env[0].valueFrom.secretKeyRef.key: Required value",
    ]],
    [
      "a container restartPolicy outside init containers",
      (p) => (p.spec.containers[0].restartPolicy = "Always"),
      [
        "spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers",
      ],
    ],
    ["a negative grace period", (p) => (p.spec.terminationGracePeriodSeconds = -5), [
      "spec.terminationGracePeriodSeconds: Invalid value: -5: must be greater than or equal to 0",
    ]],
    ["containers that are not a list", (p) => (p.spec.containers = "nginx"), [
      'spec.containers: Invalid value: "nginx": must be a list',
    ]],
    ["an image that is not a string", (p) => (p.spec.containers[0].image = 5), [
      "spec.containers[0].image: Invalid value: 5: must be a string",
    ]],
    ["a spec that is not an object", (p) => (p.spec = "x"), ['spec: Invalid value: "x": must be an object']],
    ["a label value that is not a string", (p) => (p.metadata.labels = { tier: 1 }), [
      "metadata.labels[tier]: Invalid value: 1: must be a string",
    ]],
  ];
  for (const [what, change, expected] of cases) {
    test(`reports ${what}`, () => {
      const pod = nginx();
      change(pod);
      assert.deepEqual(validatePod(pod), expected);
    });
  }

  const badNames: [string, (pod: Any) => void, string][] = [
    [
      "pod",
      (p) => (p.metadata.name = "Nginx_1"),
      'metadata.name: Invalid value: "Nginx_1": a lowercase RFC 1123 subdomain',
    ],
    [
      "container",
      (p) => (p.spec.containers[0].name = "web.1"),
      'spec.containers[0].name: Invalid value: "web.1": a lowercase RFC 1123 label',
    ],
    [
      "volume",
      (p) => (p.spec.volumes[0].name = "-logs"),
      'spec.volumes[0].name: Invalid value: "-logs": a lowercase RFC 1123 label',
    ],
    [
      "port",
      (p) => (p.spec.containers[0].ports[0].name = "http--alt"),
      'spec.containers[0].ports[0].name: Invalid value: "http--alt"',
    ],
  ];
  for (const [what, change, prefix] of badNames) {
    test(`reports an invalid ${what} name`, () => {
      const pod = nginx();
      change(pod);
      const errors = validatePod(pod);
      assert.ok(errors.some((e) => e.startsWith(prefix)), JSON.stringify(errors));
    });
  }

  test("accepts dotted pod names, named probe ports and sidecar init containers", () => {
    const pod: Any = nginx();
    pod.metadata.name = "nginx.example";
    pod.spec.containers[0].ports[0].name = "http";
    pod.spec.containers[0].readinessProbe = { httpGet: { port: "http", path: "/" } };
    pod.spec.initContainers = [{ name: "init", image: "busybox", restartPolicy: "Always" }];
    pod.spec.volumes.push({ name: "host", hostPath: { path: "/var/log", type: "DirectoryOrCreate" } });
    assert.deepEqual(validatePod(pod), []);
  });

  test("never throws on values of the wrong type", () => {
    const garbage: unknown[] = [
      { metadata: null, spec: null },
      { metadata: [], spec: [] },
      { metadata: { name: 1, labels: [] }, spec: { containers: [null, 1, "x", []], volumes: {} } },
      {
        metadata: {},
        spec: { containers: [{ ports: "x", env: [1], volumeMounts: [null], livenessProbe: 3 }] },
      },
      { metadata: {}, spec: { containers: [{ lifecycle: { preStop: { httpGet: 1, exec: "x" } } }] } },
    ];
    for (const pod of garbage) assert.ok(validatePod(pod as Pod).length > 0);
  });
});
