import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Container, Pod } from "../../src/api/types.ts";
import { nginx } from "../testdata/walkthrough_pod.ts";
import { applyDefaults, defaultPullPolicy } from "../../src/manifest/defaults.ts";

function withContainer(container: Partial<Container>, spec: Partial<Pod["spec"]> = {}): Pod {
  return {
    metadata: { name: "p" },
    spec: { ...spec, containers: [{ name: "c", image: "busybox:1.36", ...container }] },
  };
}

const CONTAINER_DEFAULTS = {
  terminationMessagePath: "/dev/termination-log",
  terminationMessagePolicy: "File",
  imagePullPolicy: "Always",
  resources: {},
};

describe("applyDefaults", () => {
  test("fills the walkthrough's pod as the API server would", () => {
    assert.deepEqual(applyDefaults(nginx()), {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "nginx" },
      spec: {
        containers: [
          {
            ...nginx().spec.containers[0],
            ...CONTAINER_DEFAULTS,
            ports: [{ containerPort: 80, protocol: "TCP" }],
          },
          { ...nginx().spec.containers[1], ...CONTAINER_DEFAULTS },
        ],
        volumes: [{ name: "nginx-logs", emptyDir: {} }],
        restartPolicy: "Always",
        terminationGracePeriodSeconds: 30,
        dnsPolicy: "ClusterFirst",
        securityContext: {},
        schedulerName: "default-scheduler",
        enableServiceLinks: true,
      },
    });
  });

  test("leaves its argument untouched", () => {
    const pod = nginx();
    applyDefaults(pod);
    assert.deepEqual(pod, nginx());
  });

  test("keeps values the manifest sets, zero grace period included", () => {
    const pod = withContainer(
      {
        imagePullPolicy: "Never",
        terminationMessagePolicy: "FallbackToLogsOnError",
        resources: { limits: { cpu: "1" } },
      },
      {
        restartPolicy: "Never",
        terminationGracePeriodSeconds: 0,
        dnsPolicy: "Default",
        enableServiceLinks: false,
      },
    );
    const { spec } = applyDefaults(pod);
    assert.equal(spec.restartPolicy, "Never");
    assert.equal(spec.terminationGracePeriodSeconds, 0);
    assert.equal(spec.dnsPolicy, "Default");
    assert.equal(spec.enableServiceLinks, false);
    assert.equal(spec.containers[0].imagePullPolicy, "Never");
    assert.equal(spec.containers[0].terminationMessagePolicy, "FallbackToLogsOnError");
  });

  test("defaults init containers like containers", () => {
    const pod = withContainer({});
    pod.spec.initContainers = [{ name: "init", image: "busybox" }];
    assert.deepEqual(applyDefaults(pod).spec.initContainers, [{
      name: "init",
      image: "busybox",
      ...CONTAINER_DEFAULTS,
    }]);
  });

  test("fills probe timings and HTTP path and scheme, treating zero as unset", () => {
    const pod = withContainer({
      livenessProbe: { httpGet: { port: 80 }, timeoutSeconds: 0, failureThreshold: 5 },
      readinessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 3 },
      lifecycle: { preStop: { httpGet: { port: 80, path: "/quit" } } },
    });
    const [container] = applyDefaults(pod).spec.containers;
    assert.deepEqual(container.livenessProbe, {
      httpGet: { port: 80, path: "/", scheme: "HTTP" },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 5,
    });
    assert.deepEqual(container.readinessProbe, {
      tcpSocket: { port: 80 },
      initialDelaySeconds: 3,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    assert.deepEqual(container.lifecycle?.preStop?.httpGet, { port: 80, path: "/quit", scheme: "HTTP" });
  });

  test("makes host ports of container ports under hostNetwork", () => {
    const pod = withContainer({ ports: [{ containerPort: 80 }, { containerPort: 53, protocol: "UDP" }] }, {
      hostNetwork: true,
    });
    assert.deepEqual(applyDefaults(pod).spec.containers[0].ports, [
      { containerPort: 80, hostPort: 80, protocol: "TCP" },
      { containerPort: 53, hostPort: 53, protocol: "UDP" },
    ]);
  });

  test("requests what a container limits when it requests nothing else", () => {
    const pod = withContainer({
      resources: { limits: { cpu: "500m", memory: "64Mi" }, requests: { cpu: "100m" } },
    });
    assert.deepEqual(applyDefaults(pod).spec.containers[0].resources, {
      limits: { cpu: "500m", memory: "64Mi" },
      requests: { cpu: "100m", memory: "64Mi" },
    });
  });

  test("gives a volume without a source an emptyDir and a hostPath an empty type", () => {
    const pod = withContainer({});
    pod.spec.volumes = [{ name: "scratch" }, { name: "logs", hostPath: { path: "/var/log" } }];
    assert.deepEqual(applyDefaults(pod).spec.volumes, [
      { name: "scratch", emptyDir: {} },
      { name: "logs", hostPath: { path: "/var/log", type: "" } },
    ]);
  });

  test("sets fieldRef's apiVersion", () => {
    const pod = withContainer({
      env: [{ name: "IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } }],
    });
    assert.deepEqual(applyDefaults(pod).spec.containers[0].env?.[0].valueFrom?.fieldRef, {
      apiVersion: "v1",
      fieldPath: "status.podIP",
    });
  });

  test("does not throw on a pod of the wrong shape", () => {
    for (
      const spec of [undefined, "x", { containers: "x", volumes: [null, 1] }, {
        containers: [null, { ports: 3 }],
      }]
    ) {
      applyDefaults({ metadata: {}, spec } as unknown as Pod);
    }
  });
});

describe("defaultPullPolicy", () => {
  const cases: [string, string][] = [
    ["nginx", "Always"],
    ["nginx:latest", "Always"],
    ["nginx:1.27", "IfNotPresent"],
    ["docker.io/library/nginx", "Always"],
    ["localhost:5000/web", "Always"],
    ["localhost:5000/web:latest", "Always"],
    ["localhost:5000/web:v2", "IfNotPresent"],
    ["nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent"],
    ["nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "Always"],
    ["registry.example.com:443/team/app:2024.1", "IfNotPresent"],
  ];
  for (const [image, policy] of cases) {
    test(`pulls ${image} with ${policy}`, () => {
      assert.equal(defaultPullPolicy(image), policy);
      assert.equal(applyDefaults(withContainer({ image })).spec.containers[0].imagePullPolicy, policy);
    });
  }
});
