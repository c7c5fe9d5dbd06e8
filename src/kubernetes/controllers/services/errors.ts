/** StatusError reasons, asked the same way by every reconciler here. */
import { StatusError } from '../../apiserver/status.js';

export const hasReason = (e: unknown, ...reasons: string[]): boolean => e instanceof StatusError && reasons.includes(e.status.reason ?? '');
