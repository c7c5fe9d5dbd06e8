// Workloads on the simulated cluster (one tainted control-plane node, three workers in
// az1..az3): scheduling and spreading, deployment rollouts and rollback, a StatefulSet
// with its claims, a Job, a CronJob firing on the clock, a DaemonSet, drain against a
// PodDisruptionBudget, kubectl top, and a pod too big for any node.
import { NS, type Area, type Step } from './step.js';

const WORKERS = ['kos-worker-0', 'kos-worker-1', 'kos-worker-2'];

/** Exactly two pods of app=spread on a node. */
const twoOn = (node: string): Step => ({
  id: `spread-${node}`,
  args: ['get', 'pods', '-n', NS, '-l', 'app=spread', '--field-selector', `spec.nodeName=${node}`, '-o', 'name'],
  expect: { stdout: [/^pod\/spread-\S+\npod\/spread-\S+\n?$/] },
});

const statefulSet = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: ${NS}}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: postgres:16
        volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
`;

const daemonSet = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: ${NS}}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: busybox:1.36, command: [sh, -c, 'sleep 3600']}]
`;

const guarded = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: guarded, namespace: ${NS}}
spec:
  minAvailable: 3
  selector: {matchLabels: {app: guarded}}
`;

const hugePod = `apiVersion: v1
kind: Pod
metadata: {name: huge, namespace: ${NS}}
spec:
  containers:
  - name: c
    image: nginx
    resources: {requests: {cpu: "64"}}
`;

export const workloads: Area = {
  name: 'workloads',
  steps: [
    {
      id: 'nodes',
      args: ['get', 'nodes', '-L', 'topology.kubernetes.io/zone'],
      expect: { stdout: [/^kos-control-plane-0\s+Ready\s+control-plane\s+/m, /^kos-worker-0\s+Ready\s+<none>\s+\S+\s+v1\.33\.\d+\s+az1$/m, /^kos-worker-2\s+Ready\s+<none>\s+\S+\s+v1\.33\.\d+\s+az3$/m] },
    },
    { id: 'create-spread', args: ['create', 'deployment', 'spread', '-n', NS, '--image=nginx', '--replicas=6'], expect: { stdout: [/^deployment\.apps\/spread created$/m] } },
    { id: 'rollout-status', args: ['rollout', 'status', 'deployment/spread', '-n', NS, '--timeout=30s'], timeoutMs: 40_000, expect: { stdout: [/deployment "spread" successfully rolled out/] } },
    ...WORKERS.map(twoOn),
    { id: 'none-on-control-plane', args: ['get', 'pods', '-n', NS, '-l', 'app=spread', '--field-selector', 'spec.nodeName=kos-control-plane-0', '-o', 'name'], expect: { stdout: [/^$/] } },
    { id: 'set-image', args: ['set', 'image', 'deployment/spread', '-n', NS, 'nginx=nginx:1.27'], expect: { stdout: [/^deployment\.apps\/spread image updated$/m] } },
    { id: 'rollout-status-2', args: ['rollout', 'status', 'deployment/spread', '-n', NS, '--timeout=30s'], timeoutMs: 40_000, expect: { stdout: [/deployment "spread" successfully rolled out/] } },
    { id: 'history', args: ['rollout', 'history', 'deployment/spread', '-n', NS], expect: { stdout: [/^REVISION\s+CHANGE-CAUSE$/m, /^1\s+<none>$/m, /^2\s+<none>$/m] } },
    { id: 'two-replicasets', args: ['get', 'replicasets', '-n', NS, '-l', 'app=spread', '-o', 'name'], expect: { stdout: [/^replicaset\.apps\/spread-\w+\nreplicaset\.apps\/spread-\w+\n?$/] } },
    { id: 'undo', args: ['rollout', 'undo', 'deployment/spread', '-n', NS], expect: { stdout: [/^deployment\.apps\/spread rolled back$/m] } },
    { id: 'rollout-status-3', args: ['rollout', 'status', 'deployment/spread', '-n', NS, '--timeout=30s'], timeoutMs: 40_000, expect: { stdout: [/deployment "spread" successfully rolled out/] } },
    { id: 'undo-image', args: ['get', 'deployment', 'spread', '-n', NS, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'], expect: { stdout: [/^nginx$/] } },
    { id: 'restart', args: ['rollout', 'restart', 'deployment/spread', '-n', NS], expect: { stdout: [/^deployment\.apps\/spread restarted$/m] } },
    { id: 'rollout-status-4', args: ['rollout', 'status', 'deployment/spread', '-n', NS, '--timeout=30s'], timeoutMs: 40_000, expect: { stdout: [/deployment "spread" successfully rolled out/] } },
    { id: 'scale-down', args: ['scale', 'deployment/spread', '-n', NS, '--replicas=3'], expect: { stdout: [/^deployment\.apps\/spread scaled$/m] } },
    { id: 'rollout-status-5', args: ['rollout', 'status', 'deployment/spread', '-n', NS, '--timeout=30s'], timeoutMs: 40_000, expect: { stdout: [/deployment "spread" successfully rolled out/] } },
    { id: 'ready-replicas', args: ['get', 'deployment', 'spread', '-n', NS, '-o', 'jsonpath={.status.readyReplicas}/{.status.replicas}'], expect: { stdout: [/^3\/3$/] } },
    { id: 'statefulset', args: ['apply', '-f', '-'], stdin: statefulSet, expect: { stdout: [/^statefulset\.apps\/db created$/m] } },
    // `wait --for=create` is kubectl 1.31+: a watch serves 1.29 as well.
    { id: 'statefulset-claim', args: ['get', 'pvc', '-n', NS, '-w', '-o', 'name'], stopAfterMs: 15_000, timeoutMs: 25_000, expect: { stdout: [/^persistentvolumeclaim\/data-db-0$/m] } },
    // No storage backend yet: the claims wait for a volume.
    { id: 'statefulset-claim-pending', args: ['get', 'pvc', 'data-db-0', '-n', NS, '-o', 'jsonpath={.status.phase}'], expect: { stdout: [/^Pending$/] } },
    { id: 'job', args: ['create', 'job', 'hello', '-n', NS, '--image=busybox:1.36', '--', 'echo', 'hello from a job'], expect: { stdout: [/^job\.batch\/hello created$/m] } },
    { id: 'job-complete', args: ['wait', '--for=condition=Complete', 'job/hello', '-n', NS, '--timeout=20s'], timeoutMs: 30_000, expect: { stdout: [/^job\.batch\/hello condition met$/m] } },
    { id: 'job-logs', args: ['logs', 'job/hello', '-n', NS], expect: { stdout: [/^hello from a job$/m] } },
    { id: 'job-status', args: ['get', 'job', 'hello', '-n', NS], expect: { stdout: [/^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$/m, /^hello\s+Complete\s+1\/1\s+/m] } },
    { id: 'cronjob', args: ['create', 'cronjob', 'tick', '-n', NS, '--image=busybox:1.36', '--schedule=* * * * *', '--', 'echo', 'tick'], expect: { stdout: [/^cronjob\.batch\/tick created$/m] } },
    // The schedule fires at the next full minute: watch for its Job.
    { id: 'cronjob-fires', args: ['get', 'jobs', '-n', NS, '-w', '-o', 'name'], stopAfterMs: 75_000, timeoutMs: 90_000, expect: { stdout: [/^job\.batch\/tick-\d+$/m] } },
    { id: 'daemonset', args: ['apply', '-f', '-'], stdin: daemonSet, expect: { stdout: [/^daemonset\.apps\/agent created$/m] } },
    { id: 'daemonset-rollout', args: ['rollout', 'status', 'daemonset/agent', '-n', NS, '--timeout=30s'], timeoutMs: 40_000, expect: { stdout: [/daemon set "agent" successfully rolled out/] } },
    { id: 'daemonset-one-per-worker', args: ['get', 'daemonset', 'agent', '-n', NS, '-o', 'jsonpath={.status.desiredNumberScheduled} {.status.numberReady}'], expect: { stdout: [/^3 3$/] } },
    { id: 'guarded', args: ['create', 'deployment', 'guarded', '-n', NS, '--image=nginx', '--replicas=3'], expect: { stdout: [/^deployment\.apps\/guarded created$/m] } },
    { id: 'guarded-rollout', args: ['rollout', 'status', 'deployment/guarded', '-n', NS, '--timeout=30s'], timeoutMs: 40_000, expect: { stdout: [/successfully rolled out/] } },
    { id: 'pdb', args: ['apply', '-f', '-'], stdin: guarded, expect: { stdout: [/^poddisruptionbudget\.policy\/guarded created$/m] } },
    { id: 'pdb-status', args: ['wait', '--for=jsonpath={.status.currentHealthy}=3', 'pdb/guarded', '-n', NS, '--timeout=15s'], timeoutMs: 25_000, expect: { stdout: [/condition met/] } },
    {
      id: 'drain-blocked',
      args: ['drain', 'kos-worker-0', '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=5s'],
      timeoutMs: 30_000,
      expect: { code: 1, stderr: [/Cannot evict pod as it would violate the pod's disruption budget/] },
    },
    { id: 'pdb-relax', args: ['patch', 'pdb', 'guarded', '-n', NS, '--type=merge', '-p', '{"spec":{"minAvailable":2}}'], expect: { stdout: [/^poddisruptionbudget\.policy\/guarded patched$/m] } },
    { id: 'drain', args: ['drain', 'kos-worker-0', '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=30s'], timeoutMs: 40_000, expect: { stdout: [/^node\/kos-worker-0 drained$/m] } },
    { id: 'drained-empty', args: ['get', 'pods', '-n', NS, '--field-selector', 'spec.nodeName=kos-worker-0', '-l', 'app!=agent', '-o', 'name'], expect: { stdout: [/^$/] } },
    { id: 'uncordon', args: ['uncordon', 'kos-worker-0'], expect: { stdout: [/^node\/kos-worker-0 uncordoned$/m] } },
    { id: 'top-nodes', args: ['top', 'nodes'], expect: { stdout: [/^NAME\s+CPU\(cores\)\s+CPU\(?%\)?\s+MEMORY\(bytes\)\s+MEMORY\(?%\)?\s*$/m, /^kos-worker-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s*$/m] } },
    { id: 'top-pods', args: ['top', 'pods', '-n', NS, '-l', 'app=spread'], expect: { stdout: [/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*$/m, /^spread-\S+\s+\d+m\s+\d+Mi\s*$/m] } },
    { id: 'huge-pod', args: ['apply', '-f', '-'], stdin: hugePod, expect: { stdout: [/^pod\/huge created$/m] } },
    { id: 'huge-unschedulable', args: ['wait', '--for=condition=PodScheduled=false', 'pod/huge', '-n', NS, '--timeout=15s'], timeoutMs: 25_000, expect: { stdout: [/^pod\/huge condition met$/m] } },
    {
      id: 'huge-message',
      args: ['get', 'pod', 'huge', '-n', NS, '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}'],
      expect: { stdout: [/^0\/4 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 3 Insufficient cpu\./] },
    },
    { id: 'huge-event', args: ['describe', 'pod', 'huge', '-n', NS], expect: { stdout: [/Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/4 nodes are available/] } },
  ],
};
