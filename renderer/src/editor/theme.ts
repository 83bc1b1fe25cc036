import type { EditorThemeClasses } from 'lexical';
import { createElement } from 'react';
import type { PageBreakTheme } from '../../../shared/editor/pageBreakNode';
import { PageBreakLabel } from './PageBreakLabel';

const PAGE_BREAK: PageBreakTheme = { decorate: () => createElement(PageBreakLabel) };

/** Class names Lexical puts on body nodes, styled in styles.css (.ed-*); and the page break's label. */
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
};
