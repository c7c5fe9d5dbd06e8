/** Finding a server the caller may act on, and the state guards actions share. */
import type { ComputeCtx } from '../context.js';
import type { ComputeCore } from '../core.js';
import { conflict, invalidState, notFound } from '../errors.js';
import type { Server, VmState } from '../model.js';
import { computePolicy } from '../policy.js';

/** The server if the caller may see it (admin or owner), else Nova's 404. */
export function findServer(core: ComputeCore, ctx: ComputeCtx, id: string): Server {
  const s = core.repo.servers.get(id);
  if (!s || !computePolicy.allowed('os_compute_api:servers:show', ctx.auth, { project_id: s.project_id })) {
    throw notFound(`Instance ${id} could not be found.`);
  }
  return s;
}

/** Nova's 409 for a locked server (admins act anyway). */
export function checkUnlocked(ctx: ComputeCtx, s: Server): void {
  if (s.locked && !ctx.admin) throw conflict(`Instance ${s.id} is locked`);
}

/** Nova's check_instance_state: the vm_state must be one of `vm`, and no task may be running. */
export function checkState(s: Server, action: string, vm: VmState[], taskOk: (string | null)[] = [null]): void {
  if (!vm.includes(s.vm_state)) throw invalidState('vm_state', s.vm_state, action, s.id);
  if (!taskOk.includes(s.task_state)) throw invalidState('task_state', s.task_state ?? 'None', action, s.id);
}

/** Start a transition: set task_state (and more), record the action, wake nova-compute. */
export async function begin(core: ComputeCore, ctx: ComputeCtx, s: Server, task: string, action: string, event: string, patch: Partial<Server> = {}): Promise<Server> {
  const next = await core.repo.servers.update(s.id, (o) => ({ ...o, ...patch, task_state: task, updated_at: core.now() }));
  await core.startAction(ctx, s.id, action, event);
  core.kick(s.id);
  return next;
}
