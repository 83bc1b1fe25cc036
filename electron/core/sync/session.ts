import type { AccountUser } from '../../../shared/domain/newsroom';

export interface ServerSession { serverUrl: string; token: string; user: AccountUser }
export interface SessionSource {
  current(): ServerSession | null;
  onChange(listener: (session: ServerSession | null) => void): () => void;
  /** The server answered 401 to this session's token: the account becomes `expired`. */
  reportRejected(session: ServerSession): void;
}
