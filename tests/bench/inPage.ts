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

/** Times (ms since the open started) of one story open, for the report and the stderr breakdown. */
export interface OpenTiming {
  /** Editable, with the whole body committed to the DOM: the benchmarked figure. */
  committed: number;
  /** After the next frame following the commit (style, layout, paint of the body). */
  painted: number;
  /** The app's docs.open request left / its answer arrived (null for the bare page). */
  requestSent: number | null;
  answerArrived: number | null;
}

export interface Probes {
  /** Resolves with performance.now() when the editor is editable and holds the whole body. */
  whenBodyCommitted(expect: BodyExpectation): Promise<number>;
  /** Resolves with performance.now() once the frame after now has been rendered. */
  afterNextPaint(): Promise<number>;
  /** Times an open from the next pointerdown (the click on a story row). */
  armOpen(expect: BodyExpectation): void;
  /** Times an open from now; call `start` right after (it mounts the bare editor). */
  timeOpen(expect: BodyExpectation, start: () => void): Promise<OpenTiming>;
  openResult: Promise<OpenTiming> | null;
  /** Starts pairing each keydown with the next Lexical commit that changed a text node. */
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
    listener: (p: { dirtyLeaves: Set<string> }) => void,
  ): () => void;
}

export function installProbes(): void {
  /** The JSON header of a text frame or of a binary frame (shared/rpc/frames.ts layout). */
  function frameHeader(data: unknown): string {
    if (typeof data === 'string') return data;
    if (!(data instanceof ArrayBuffer) || data.byteLength < 7) return '';
    const length = new DataView(data).getUint32(3, true);
    return new TextDecoder().decode(new Uint8Array(data, 7, Math.min(length, data.byteLength - 7)));
  }

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

  // Where an app open spends its time: the docs.open request over web mode's WebSocket.
  const docsOpen: { sentAt: number | null; answeredAt: number | null } = { sentAt: null, answeredAt: null };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
    if (typeof data === 'string' && data.includes('"method":"docs.open"')) {
      const id = /"id":(\d+)/.exec(data)?.[1];
      docsOpen.sentAt = performance.now();
      const prefix = `{"t":"res","id":${id},`;
      const onMessage = (event: MessageEvent) => {
        if (!frameHeader(event.data).startsWith(prefix)) return;
        docsOpen.answeredAt = event.timeStamp; // when the message arrived, not when we ran
        this.removeEventListener('message', onMessage);
      };
      this.addEventListener('message', onMessage);
    }
    return send.call(this, data);
  };

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
    afterNextPaint() {
      return new Promise((resolve) => {
        requestAnimationFrame(() => {
          // A task queued from rAF runs after that frame's style, layout and paint.
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve(performance.now());
          channel.port2.postMessage(0);
        });
      });
    },
    armOpen(expect) {
      probes.openResult = new Promise((resolve) => {
        const onDown = () => {
          window.removeEventListener('pointerdown', onDown, true);
          void probes.timeOpen(expect, () => {}).then(resolve);
        };
        window.addEventListener('pointerdown', onDown, true);
      });
    },
    async timeOpen(expect, start) {
      const t0 = performance.now();
      docsOpen.sentAt = null;
      docsOpen.answeredAt = null;
      const committed = probes.whenBodyCommitted(expect);
      start();
      const t1 = await committed;
      const t2 = await probes.afterNextPaint();
      const rel = (t: number | null) => (t === null ? null : t - t0);
      return { committed: t1 - t0, painted: t2 - t0, requestSent: rel(docsOpen.sentAt), answerArrived: rel(docsOpen.answeredAt) };
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
      editor.registerUpdateListener(({ dirtyLeaves }) => {
        // A typed character changes a text node (a leaf). Selection-only updates, or a plugin
        // touching only elements, change none: the keystroke's commit is the next that does.
        if (pendingAt === null || dirtyLeaves.size === 0) return;
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
