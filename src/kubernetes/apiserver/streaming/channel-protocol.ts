/**
 * The channel.k8s.io WebSocket framing for exec and attach: every binary message starts
 * with a channel byte (0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize). v4 sends
 * the exit as a Status object on channel 3; v5 adds channel 255, with which either side
 * says it will write no more to a channel (kubectl closes stdin this way at EOF).
 */
import type { SessionExit, TerminalSize } from '../../runtime/types.js';

export const channelProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
export type ChannelProtocol = (typeof channelProtocols)[number];

export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** The server's pick among the client's offered subprotocols: the newest it speaks. */
export function pickChannelProtocol(offered: ReadonlySet<string>): ChannelProtocol | undefined {
  return channelProtocols.find((p) => offered.has(p));
}

export const frame = (channel: number, data: Uint8Array): Buffer => Buffer.concat([Buffer.from([channel]), data]);

/** The Status a v4+ client reads on channel 3 when the process ends. */
export function exitStatus(exit: SessionExit, command: readonly string[]): Record<string, unknown> {
  if ('error' in exit) return { metadata: {}, status: 'Failure', message: exit.error, reason: 'InternalError', code: 500 };
  if (exit.exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exit.exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exit.exitCode) }] },
  };
}

/** A resize message's body (`{"Width":80,"Height":24}`), or undefined when malformed. */
export function parseResize(data: Uint8Array): TerminalSize | undefined {
  try {
    const v = JSON.parse(Buffer.from(data).toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null) return undefined;
    const { Width, Height } = v as { Width?: unknown; Height?: unknown };
    if (typeof Width !== 'number' || typeof Height !== 'number') return undefined;
    return { width: Width, height: Height };
  } catch {
    return undefined;
  }
}
