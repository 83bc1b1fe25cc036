import type { RpcMessage } from '../../../shared/rpc/protocol';

/**
 * One live connection to core (a WebSocket or a MessagePort). It dies once; the
 * reconnecting endpoint replaces it with a new one.
 */
export interface CoreLink {
  send(message: RpcMessage): void;
  /** Set once by the owner; called for every well-formed message. */
  onMessage(listener: (message: RpcMessage) => void): void;
  /** Called at most once, when the link is gone for good. */
  onClose(listener: () => void): void;
  close(): void;
}

/** Opens a new link; rejects when core cannot be reached this time. */
export type LinkOpener = () => Promise<CoreLink>;
