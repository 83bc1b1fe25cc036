import type { EditorThemeClasses } from 'lexical';
import { createElement } from 'react';
import type { PageBreakTheme } from '../../../shared/editor/pageBreakNode';
import type { PhotoNodeTheme } from '../../../shared/editor/photoNode';
import { PageBreakLabel } from './PageBreakLabel';
import { PhotoFigure } from './photos/PhotoFigure';

const PAGE_BREAK: PageBreakTheme = { decorate: () => createElement(PageBreakLabel) };
/** A photo in the body: its web rendition with caption and credit, live from the photos map. */
const PHOTO: PhotoNodeTheme = { decorate: (photoId, nodeKey) => createElement(PhotoFigure, { photoId, nodeKey }) };

/** Class names Lexical puts on body nodes, styled in styles.css (.ed-*); the page break's label and the photos' figures. */
export const EDITOR_THEME: EditorThemeClasses = {
  paragraph: 'ed-p',
  heading: { h2: 'ed-h2', h3: 'ed-h3' },
  quote: 'ed-quote',
  list: {
    ul: 'ed-ul',
    ol: 'ed-ol',
    listitem: 'ed-li',
    nested: { listitem: 'ed-li-nested' },
  },
  link: 'ed-link',
  mark: 'ed-mark',
  markOverlap: 'ed-mark-overlap',
  text: { bold: 'ed-bold', italic: 'ed-italic', underline: 'ed-underline' },
  pageBreak: PAGE_BREAK,
  photo: PHOTO,
};
