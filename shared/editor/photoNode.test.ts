import { createHeadlessEditor } from '@lexical/headless';
import { $createParagraphNode, $createTextNode, $getRoot, type EditorThemeClasses } from 'lexical';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bodyPlainText } from '../doc/storyDoc';
import { editStoryBody, readStoryBody, writeStoryBody } from './headless';
import { STORY_BODY_NODES } from './nodes';
import { $createPhotoNode, $isPhotoNode, PHOTO_NODE_TYPE, type PhotoNode, type PhotoNodeTheme, type SerializedPhotoNode } from './photoNode';

const PHOTO_ID = '5b0f3c1e-2d7a-4c61-9a55-0e6f3f1b9d21';

const photosIn = (doc: Y.Doc) =>
  readStoryBody(doc)
    .json.root.children.filter((c) => c.type === PHOTO_NODE_TYPE)
    .map((c) => (c as SerializedPhotoNode).photoId);

const exchange = (a: Y.Doc, b: Y.Doc) => {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB);
  Y.applyUpdate(a, toA);
};

describe('PhotoNode', () => {
  it('is in the one node list, so every reader of a body knows it', () => {
    expect(STORY_BODY_NODES.map((k) => k.getType())).toContain(PHOTO_NODE_TYPE);
  });

  it('round-trips through @lexical/yjs between two editors: the photo id arrives, in place', () => {
    const writer = new Y.Doc();
    writeStoryBody(writer, [
      { type: 'paragraph', children: ['Banjir merendam Kampung Melayu.'] },
      { type: 'paragraph', children: ['Warga mengungsi.'] },
    ]);
    // The writer's editor puts a photo between the paragraphs, as the panel's "insert" does.
    const update = editStoryBody(writer, () => {
      $getRoot().getFirstChildOrThrow().insertAfter($createPhotoNode(PHOTO_ID));
    });

    const reader = new Y.Doc();
    Y.applyUpdate(reader, Y.encodeStateAsUpdate(writer));
    const read = readStoryBody(reader);
    expect(read.json.root.children.map((c) => c.type)).toEqual(['paragraph', PHOTO_NODE_TYPE, 'paragraph']);
    expect(photosIn(reader)).toEqual([PHOTO_ID]);
    // Only the id travels: caption and credit stay in the photos map.
    expect(Object.keys(read.json.root.children[1]!).sort()).toEqual(['photoId', 'type', 'version']);
    // A photo adds no words and keeps the blocks around it apart.
    expect(bodyPlainText(reader)).toBe('Banjir merendam Kampung Melayu.\n\nWarga mengungsi.');
    expect(read.text).toBe('Banjir merendam Kampung Melayu.\n\nWarga mengungsi.');
    expect(update.byteLength).toBeGreaterThan(0);
  });

  it('merges with concurrent text edits on the other side, both ways to the same body', () => {
    const a = new Y.Doc();
    writeStoryBody(a, [{ type: 'paragraph', children: ['Satu.'] }]);
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));

    editStoryBody(a, () => {
      $getRoot().append($createPhotoNode(PHOTO_ID));
    });
    editStoryBody(b, () => {
      $getRoot().append($createParagraphNode().append($createTextNode('Dua.')));
    });
    exchange(a, b);

    expect(readStoryBody(a).json).toEqual(readStoryBody(b).json);
    expect(photosIn(b)).toEqual([PHOTO_ID]);
    expect(bodyPlainText(b)).toContain('Dua.');
  });

  it('a removed photo node is removed on the other side too', () => {
    const a = new Y.Doc();
    writeStoryBody(a, [{ type: 'paragraph', children: ['Teks.'] }, { type: 'photo', photoId: PHOTO_ID }]);
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(photosIn(b)).toEqual([PHOTO_ID]);
    editStoryBody(b, () => {
      $getRoot().getChildren().filter($isPhotoNode).forEach((n) => n.remove());
    });
    exchange(a, b);
    expect(photosIn(a)).toEqual([]);
  });

  it('JSON import/export keeps the id (copy and paste inside the editor)', () => {
    const editor = createHeadlessEditor({ namespace: 't', nodes: [...STORY_BODY_NODES], onError: (e) => { throw e; } });
    editor.update(() => $getRoot().append($createPhotoNode(PHOTO_ID)), { discrete: true });
    const json = editor.getEditorState().toJSON();
    const copy = createHeadlessEditor({ namespace: 't', nodes: [...STORY_BODY_NODES], onError: (e) => { throw e; } });
    copy.setEditorState(copy.parseEditorState(json));
    const ids = copy.read(() => $getRoot().getChildren().filter($isPhotoNode).map((n) => n.getPhotoId()));
    expect(ids).toEqual([PHOTO_ID]);
  });

  it('asks the host (theme key `photo`) how to draw the photo, with its id', () => {
    const seen: string[] = [];
    const theme: EditorThemeClasses = { photo: { decorate: (id: string) => (seen.push(id), `figure:${id}`) } satisfies PhotoNodeTheme };
    const editor = createHeadlessEditor({ namespace: 't', nodes: [...STORY_BODY_NODES], theme, onError: (e) => { throw e; } });
    let node!: PhotoNode;
    editor.update(() => $getRoot().append((node = $createPhotoNode(PHOTO_ID))), { discrete: true });
    expect(editor.read(() => node.decorate(editor, editor._config))).toBe(`figure:${PHOTO_ID}`);
    expect(seen).toEqual([PHOTO_ID]);
    const bare = createHeadlessEditor({ namespace: 't', nodes: [...STORY_BODY_NODES], onError: (e) => { throw e; } });
    bare.update(() => $getRoot().append((node = $createPhotoNode(PHOTO_ID))), { discrete: true });
    expect(bare.read(() => node.decorate(bare, bare._config))).toBeNull();
  });
});
