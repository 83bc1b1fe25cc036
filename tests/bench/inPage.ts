/**
 * Probes that run inside the page (app and bare alike), so both are measured by the same
 * code. installProbes is serialised by Playwright (addInitScript): it must not refer to
 * anything outside its own body.
 */

export interface BodyExpectation {
  /** Number of top-level blocks of the seeded body. */
  blocks: number;
  /** A fragment of the last paragraph: present once the whole body is committed. */
  tail: string;
}

export interface KeystrokeProbe {
  /** keydown (performance.now() in a capture listener) → Lexical update listener, ms. */
  samples: number[];
  /** The same commit measured from the keydown event's own timeStamp (includes queueing). */
  fromEventStamp: number[];
  commits: number;
}

export interface Probes {
  /** Resolves with performance.now() when the editor is editable and holds the whole body. */
  whenBodyCommitted(expect: BodyExpectation): Promise<number>;
  /** Records performance.now() of the next pointerdown (the click that opens a story). */
  armOpen(expect: BodyExpectation): void;
  /** ms from the armed pointerdown to the body committed. */
  openResult: Promise<number> | null;
  /** Starts pairing each keydown with the next Lexical commit that changed nodes. */
  startKeystrokes(): KeystrokeProbe;
  /** The probe startKeystrokes made, for reading its samples. */
  keystrokes(): KeystrokeProbe | null;
  /** Resolves once `count` keystroke commits were seen (rejects after timeoutMs). */
  waitCommits(count: number, timeoutMs: number): Promise<void>;
}

declare global {
  interface Window {
    __probes?: Probes;
  }
}

interface LexicalLike {
  registerUpdateListener(
    listener: (p: { dirtyLeaves: Set<string>; dirtyElements: Map<string, boolean> }) => void,
  ): () => void;
}

export function installProbes(): void {
  const BODY = '[data-testid="editor-body"]';
  let probe: KeystrokeProbe | null = null;
  let commitWaiter: { count: number; resolve: () => void } | null = null;

  function bodyCommitted(expect: BodyExpectation): boolean {
    const el = document.querySelector<HTMLElement>(BODY);
    if (!el || !el.isContentEditable) return false;
    if (!(el as unknown as { __lexicalEditor?: unknown }).__lexicalEditor) return false;
    if (el.childElementCount < expect.blocks) return false;
    return (el.lastElementChild?.textContent ?? '').includes(expect.tail);
  }

  const probes: Probes = {
    whenBodyCommitted(expect) {
      return new Promise((resolve) => {
        if (bodyCommitted(expect)) return resolve(performance.now());
        // A Lexical commit writes the DOM synchronously; the observer runs right after it.
        const observer = new MutationObserver(() => {
          if (!bodyCommitted(expect)) return;
          const at = performance.now();
          observer.disconnect();
          resolve(at);
        });
        observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
      });
    },
    armOpen(expect) {
      probes.openResult = new Promise((resolve) => {
        const onDown = () => {
          const t0 = performance.now();
          window.removeEventListener('pointerdown', onDown, true);
          void probes.whenBodyCommitted(expect).then((t1) => resolve(t1 - t0));
        };
        window.addEventListener('pointerdown', onDown, true);
      });
    },
    openResult: null,
    startKeystrokes() {
      const el = document.querySelector(BODY) as unknown as { __lexicalEditor?: LexicalLike } | null;
      const editor = el?.__lexicalEditor;
      if (!editor) throw new Error('no Lexical editor on editor-body');
      const p: KeystrokeProbe = { samples: [], fromEventStamp: [], commits: 0 };
      let pendingAt: number | null = null;
      let pendingStamp = 0;
      window.addEventListener(
        'keydown',
        (e) => {
          pendingAt = performance.now();
          pendingStamp = e.timeStamp;
        },
        true,
      );
      editor.registerUpdateListener(({ dirtyLeaves, dirtyElements }) => {
        // Selection-only updates change no node: the keystroke's commit is the next one that does.
        if (pendingAt === null || (dirtyLeaves.size === 0 && dirtyElements.size === 0)) return;
        const now = performance.now();
        p.samples.push(now - pendingAt);
        p.fromEventStamp.push(now - pendingStamp);
        pendingAt = null;
        p.commits++;
        if (commitWaiter && p.commits >= commitWaiter.count) {
          const w = commitWaiter;
          commitWaiter = null;
          w.resolve();
        }
      });
      probe = p;
      return p;
    },
    keystrokes: () => probe,
    waitCommits(count, timeoutMs) {
      return new Promise((resolve, reject) => {
        if (!probe) return reject(new Error('keystroke probe not started'));
        if (probe.commits >= count) return resolve();
        const timer = setTimeout(() => reject(new Error(`no commit for keystroke ${count} within ${timeoutMs} ms`)), timeoutMs);
        commitWaiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      });
    },
  };
  window.__probes = probes;
}
