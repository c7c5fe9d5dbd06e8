/**
 * The API status of a server from its vm_state and task_state, as
 * nova.api.openstack.common.status_from_state maps them, and the reverse for the
 * `status=` list filter.
 */
import type { Server, VmState } from '../model.js';

const TASK_STATUS: Record<string, string> = {
  rebooting: 'REBOOT', reboot_pending: 'REBOOT', reboot_started: 'REBOOT',
  rebooting_hard: 'HARD_REBOOT', reboot_pending_hard: 'HARD_REBOOT', reboot_started_hard: 'HARD_REBOOT',
  rebuilding: 'REBUILD', rebuild_block_device_mapping: 'REBUILD', rebuild_spawning: 'REBUILD',
  resize_prep: 'RESIZE', resize_migrating: 'RESIZE', resize_migrated: 'RESIZE', resize_finish: 'RESIZE',
  resize_reverting: 'REVERT_RESIZE', resize_confirming: 'VERIFY_RESIZE',
  migrating: 'MIGRATING', updating_password: 'PASSWORD',
};

const VM_STATUS: Record<VmState, string> = {
  building: 'BUILD', active: 'ACTIVE', stopped: 'SHUTOFF', paused: 'PAUSED', suspended: 'SUSPENDED', rescued: 'RESCUE',
  resized: 'VERIFY_RESIZE', shelved: 'SHELVED', shelved_offloaded: 'SHELVED_OFFLOADED', error: 'ERROR', deleted: 'DELETED',
};

export function statusOf(s: Pick<Server, 'vm_state' | 'task_state'>): string {
  if (s.vm_state === 'active' && s.task_state && TASK_STATUS[s.task_state]) return TASK_STATUS[s.task_state]!;
  if (s.vm_state === 'stopped' && s.task_state === 'resize_prep') return 'RESIZE';
  return VM_STATUS[s.vm_state];
}

export const PROGRESS_STATUSES = new Set(['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING']);
