import * as Y from 'yjs';
import type { LoginResponse } from '../../shared/server-api/schemas';
import type { SyncResponse, SyncStoryResult } from '../../shared/server-api/sync';

/** Plain HTTP to a real server process, as a desktop client would talk to it. */
export const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');
export const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

export async function loginOver(origin: string, username: string): Promise<string> {
  const res = await fetch(`${origin}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'redaksi123' }) });
  if (res.status !== 201) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as LoginResponse).token;
}

export async function getJson<T>(origin: string, path: string, token: string): Promise<T> {
  const res = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function postSync(origin: string, token: string, stories: object[]): Promise<SyncStoryResult[]> {
  const res = await fetch(`${origin}/sync`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ stories }) });
  if (res.status !== 200) throw new Error(`POST /sync: ${res.status} ${await res.text()}`);
  return ((await res.json()) as SyncResponse).stories;
}

/** A client's copy of one story: its Y.Doc and the server state vector it last had acknowledged. */
export class ClientStory {
  readonly doc = new Y.Doc();
  acknowledged: Uint8Array = Y.encodeStateVector(new Y.Doc());
  constructor(readonly id: string) {}
  /** What the client sends: its diff against the acknowledged state vector, and its own state vector. */
  request() {
    return { id: this.id, update: b64(Y.encodeStateAsUpdate(this.doc, this.acknowledged)), stateVector: b64(Y.encodeStateVector(this.doc)) };
  }
  accept(result: SyncStoryResult | undefined) {
    if (!result?.ok) throw new Error(`sync refused: ${JSON.stringify(result)}`);
    Y.applyUpdate(this.doc, fromB64(result.update));
    this.acknowledged = fromB64(result.stateVector);
  }
}
