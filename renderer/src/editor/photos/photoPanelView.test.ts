import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import type { AttachedPhoto, PhotoPrefill } from '../../../../shared/domain/photo';
import { RpcError } from '../../../../shared/rpc/protocol';
import { standInCore } from '../../testing/standInCore';
import type { PhotoFile, PhotoPanel } from './photoPanel';

/**
 * The panel's markup (test ids of the UI contract) for a given panel state, rendered to a
 * string with React's server renderer: no DOM library needed. Interaction is covered by the
 * panel model's tests and the e2e spec.
 */
const STORY = '00000000-0000-4000-8000-0000000000b2';
const SHA = (n: number) => n.toString(16).padStart(64, '0');

beforeAll(() => {
  vi.stubGlobal('window', Object.assign(new EventTarget(), {
    location: { hash: '' },
    history: { state: null, pushState() {}, replaceState() {}, back() {} },
  }));
});

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function attached(n: number, prefill: Partial<PhotoPrefill> = {}): AttachedPhoto {
  return {
    sha256: SHA(n), mime: 'image/jpeg', byteSize: 10, width: 800, height: 600, alreadyStored: false,
    prefill: { caption: '', credit: '', photographer: '', source: '', city: '', dateTaken: null, ...prefill },
  };
}
const file = (name: string): PhotoFile => ({ name, size: 10, arrayBuffer: async () => new ArrayBuffer(10) });

async function setup() {
  const [{ renderToString }, { LexicalComposer }, i18next, { initReactI18next, I18nextProvider }, { i18nOptions }, { createPhotoPanel }, { PhotoPanelContext }, { PhotoPanelView }, Y] =
    await Promise.all([
      import('react-dom/server'),
      import('@lexical/react/LexicalComposer'),
      import('i18next'),
      import('react-i18next'),
      import('../../i18n/i18n'),
      import('./photoPanel'),
      import('./photoContext'),
      import('./PhotoPanelView'),
      import('yjs'),
    ]);
  const i18n = i18next.default.createInstance(i18nOptions('id'));
  void i18n.use(initReactI18next).init();
  const core = standInCore();
  const doc = new Y.Doc();
  let n = 0;
  const panel: PhotoPanel = createPhotoPanel({ core: core.connection, storyId: STORY, doc, loaded: Promise.resolve(), newId: () => `p${++n}` });
  cleanups.push(() => panel.destroy());
  // React's server renderer reads a store's server snapshot, which zustand takes from the
  // initial state: point it at the current one, so each render shows the panel as it is now.
  panel.store.getInitialState = panel.store.getState;
  const render = () =>
    renderToString(
      createElement(
        I18nextProvider,
        { i18n },
        createElement(
          LexicalComposer,
          { initialConfig: { namespace: 't', nodes: [], onError: (e: Error) => { throw e; } } },
          createElement(PhotoPanelContext.Provider, { value: panel }, createElement(PhotoPanelView, { readOnly: false })),
        ),
      ),
    );
  return { core, panel, render };
}

const count = (html: string, testId: string) => html.split(`data-testid="${testId}"`).length - 1;

describe('the photo panel’s markup', () => {
  it('one photo-item per photo with data-sha256 and data-upload; the missing-credit warning only while the credit is empty', async () => {
    const { core, panel, render } = await setup();
    core.state.attachAnswers.set('a.jpg', attached(1, { credit: 'Foto : Istimewa' }));
    core.state.attachAnswers.set('b.png', attached(2));
    const [, b] = await panel.attachFiles([file('a.jpg'), file('b.png')]);

    let html = render();
    expect(count(html, 'photo-attach-input')).toBe(1);
    expect(count(html, 'photo-item')).toBe(2);
    expect(html).toContain(`data-sha256="${SHA(1)}"`);
    expect(html).toMatch(/data-testid="photo-item"[^>]*data-upload="pending"/);
    expect(html).toContain('value="Foto : Istimewa"');
    expect(count(html, 'photo-missing-credit')).toBe(1);
    expect(html).toContain('Kredit foto belum diisi.');

    panel.setField(b!, 'credit', 'Foto : Koran Jakarta/Ismail Pohan');
    html = render();
    expect(count(html, 'photo-missing-credit')).toBe(0);
    panel.setField(b!, 'credit', '');
    expect(count(render(), 'photo-missing-credit')).toBe(1);
  });

  it('the featured toggle is checked on exactly the featured photo', async () => {
    const { core, panel, render } = await setup();
    core.state.attachAnswers.set('a.jpg', attached(1));
    core.state.attachAnswers.set('b.jpg', attached(2));
    const [a, b] = await panel.attachFiles([file('a.jpg'), file('b.jpg')]);
    const checked = (html: string) => (html.match(/data-testid="photo-featured"[^>]*checked/g) ?? []).length;
    expect(checked(render())).toBe(0);
    panel.setFeatured(a!, true);
    panel.setFeatured(b!, true);
    const html = render();
    expect(checked(html)).toBe(1);
    expect(html.indexOf('checked')).toBeGreaterThan(html.indexOf(`data-photo-id="${b}"`));
  });

  it('a refusal names the file in words, and an upload in progress shows its share', async () => {
    const { core, panel, render } = await setup();
    core.state.attachAnswers.set('dokumen.pdf', new RpcError('photo_invalid', 'not a photo'));
    core.state.attachAnswers.set('a.jpg', attached(1));
    core.state.uploads.set(SHA(1), { sha256: SHA(1), state: 'uploading', bytesSent: 250, bytesTotal: 1000, error: null });
    await panel.attachFiles([file('dokumen.pdf'), file('a.jpg')]);
    await vi.waitFor(() => expect(panel.store.getState().uploads[SHA(1)]).toBeDefined());
    const html = render();
    expect(count(html, 'photo-refusal')).toBe(1);
    expect(html).toContain('“dokumen.pdf” tidak dilampirkan: bukan foto JPEG, PNG, atau WebP yang utuh');
    expect(html).toMatch(/data-testid="photo-item"[^>]*data-upload="uploading"/);
    expect(html).toContain('Mengunggah 25%');
  });
});
