import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import { unavailableRuntime } from '../../../../src/kubernetes/runtime/unavailable.js';

const pod = (status: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, status });
const opts = { stdin: false, stdout: true, stderr: true, tty: false };

describe('unavailableRuntime', () => {
  it('refuses exec with the waiting message of a container that has not started', async () => {
    await expect(unavailableRuntime.exec(pod(), 'app', ['ls'], opts)).rejects.toMatchObject({
      status: { code: 400, reason: 'BadRequest', message: 'container "app" in pod "web" is waiting to start: ContainerCreating' },
    });
  });

  it('uses the waiting reason from the container status when there is one', async () => {
    const status = { containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ImagePullBackOff' } } }] };
    await expect(unavailableRuntime.attach(pod(status), 'app', opts)).rejects.toThrow('container "app" in pod "web" is waiting to start: ImagePullBackOff');
  });

  it('fails logs on first read', async () => {
    const it = unavailableRuntime.logs(pod(), 'app', { follow: false, timestamps: false, previous: false }, new AbortController().signal)[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toThrow('is waiting to start: ContainerCreating');
  });

  it('refuses port-forward', async () => {
    await expect(unavailableRuntime.portForward(pod(), 80)).rejects.toThrow('pod "web" has no running container runtime yet');
  });
});
