import type { RpcCaller } from '../../../shared/rpc/server';

/**
 * Which clients have which stories open. Kept apart from the in-memory documents: a
 * document may leave memory (a failed push evicts it) while its holders stay, and a client
 * that goes away (tab closed, reload, dropped link) lets go of everything it held, whether
 * or not it closed its stories first.
 *
 * Opening is idempotent per client and story: a client holds a story or it does not. A
 * client that opens a story twice (a press on a row that pre-opens it, a reopen after a
 * reconnect) and closes it once has let go of it.
 */
export class OpenHolders {
  private readonly byStory = new Map<string, Set<string>>();
  private readonly byClient = new Map<string, { stories: Set<string>; offDetach: () => void }>();

  /** @param onUnheld called when a story's last holder lets go (close or detach). */
  constructor(private readonly onUnheld: (storyId: string) => void) {}

  hold(storyId: string, caller: RpcCaller): void {
    if (caller.detached) return;
    let client = this.byClient.get(caller.id);
    if (!client) {
      const entry = { stories: new Set<string>(), offDetach: () => {} };
      this.byClient.set(caller.id, entry);
      entry.offDetach = caller.onDetach(() => this.dropClient(caller.id));
      client = entry;
    }
    client.stories.add(storyId);
    let holders = this.byStory.get(storyId);
    if (!holders) this.byStory.set(storyId, (holders = new Set()));
    holders.add(caller.id);
  }

  /** The client lets go of the story; a client that did not hold it changes nothing. */
  release(storyId: string, caller: RpcCaller): void {
    const client = this.byClient.get(caller.id);
    if (!client?.stories.delete(storyId)) return;
    if (client.stories.size === 0) {
      this.byClient.delete(caller.id);
      client.offDetach();
    }
    this.letGo(storyId, caller.id);
  }

  isHeld(storyId: string): boolean {
    return this.byStory.has(storyId);
  }

  /** Ids of the clients holding the story (none when nobody has it open). */
  holdersOf(storyId: string): string[] {
    return [...(this.byStory.get(storyId) ?? [])];
  }

  private dropClient(clientId: string): void {
    const client = this.byClient.get(clientId);
    if (!client) return;
    this.byClient.delete(clientId);
    for (const storyId of client.stories) this.letGo(storyId, clientId);
  }

  private letGo(storyId: string, clientId: string): void {
    const holders = this.byStory.get(storyId);
    if (!holders?.delete(clientId)) return;
    if (holders.size > 0) return;
    this.byStory.delete(storyId);
    this.onUnheld(storyId);
  }
}
