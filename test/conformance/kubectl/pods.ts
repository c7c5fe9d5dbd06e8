// A pod's runtime through the API server: logs, exec (WebSocket v5) and port-forward.
// kos answers them from a runtime interface (a fake one until pods get a real runtime).
import { NS, type Area } from './step.js';

export const pods: Area = {
  name: 'pods',
  steps: [
    {
      id: 'run',
      args: ['run', 'shell', '-n', NS, '--image=busybox:1.36', '--restart=Never', '--', 'sh', '-c', 'echo started; sleep 3600'],
      expect: { stdout: [/^pod\/shell created$/m] },
    },
    {
      id: 'pod-defaults',
      args: ['get', 'pod', 'shell', '-n', NS, '-o', 'json'],
      expect: {
        json: [
          { path: 'spec.restartPolicy', equals: 'Never' },
          { path: 'spec.containers.0.imagePullPolicy', equals: 'IfNotPresent' },
          { path: 'spec.containers.0.terminationMessagePath', equals: '/dev/termination-log' },
          { path: 'spec.serviceAccountName', equals: 'default' },
          { path: 'spec.schedulerName', equals: 'default-scheduler' },
        ],
      },
    },
    { id: 'wait-ready', args: ['wait', '--for=condition=Ready', 'pod/shell', '-n', NS, '--timeout=15s'], timeoutMs: 25_000, expect: { stdout: [/^pod\/shell condition met$/m] } },
    {
      id: 'get-wide',
      args: ['get', 'pod', 'shell', '-n', NS, '-o', 'wide'],
      expect: { stdout: [/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/m, /^shell\s+1\/1\s+Running\s+0\s+/m] },
    },
    { id: 'field-selector-phase', args: ['get', 'pods', '-n', NS, '--field-selector', 'status.phase=Running', '-o', 'name'], expect: { stdout: [/^pod\/shell$/m] } },
    { id: 'logs', args: ['logs', 'shell', '-n', NS], expect: { stdout: [/^started$/m] } },
    { id: 'logs-tail-timestamps', args: ['logs', 'shell', '-n', NS, '--tail=1', '--timestamps'], expect: { stdout: [/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z started$/m] } },
    { id: 'logs-follow', args: ['logs', '-f', 'shell', '-n', NS], stopAfterMs: 3_000, expect: { stdout: [/^started$/m] } },
    { id: 'exec', args: ['exec', 'shell', '-n', NS, '--', 'echo', 'hello'], expect: { stdout: [/^hello$/m] } },
    { id: 'exec-stdin', args: ['exec', '-i', 'shell', '-n', NS, '--', 'cat'], stdin: 'ping\n', expect: { stdout: [/^ping$/m] } },
    { id: 'exec-exit-code', args: ['exec', 'shell', '-n', NS, '--', 'sh', '-c', 'exit 3'], expect: { code: 3 } },
    {
      id: 'port-forward',
      args: ['port-forward', '-n', NS, 'pod/shell', ':8080'],
      stopAfterMs: 5_000,
      expect: { stdout: [/^Forwarding from 127\.0\.0\.1:\d+ -> 8080$/m] },
    },
    {
      id: 'logs-missing-pod',
      args: ['logs', 'nope', '-n', NS],
      // kubectl 1.33 words it as the first line, 1.29 as the second.
      expect: { code: 1, stderr: [/^(error: error from server \(NotFound\): pods "nope" not found in namespace "conformance"|Error from server \(NotFound\): pods "nope" not found)$/m] },
    },
  ],
};
