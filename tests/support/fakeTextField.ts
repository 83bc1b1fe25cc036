import type { TextFieldElement } from '../../renderer/src/editor/metaTextBinding';

/**
 * An <input> as the binding sees it: a value and a selection. Writing `value` puts the
 * caret at the end, as browsers do; `type` mimics a person typing at the caret.
 */
export class FakeInput implements TextFieldElement {
  private text = '';
  selectionStart: number | null = 0;
  selectionEnd: number | null = 0;
  selectionDirection: 'forward' | 'backward' | 'none' | null = 'none';
  writes = 0;
  get value(): string {
    return this.text;
  }
  set value(v: string) {
    this.text = v;
    this.selectionStart = this.selectionEnd = v.length;
    this.writes++;
  }
  setSelectionRange(start: number, end: number): void {
    this.selectionStart = start;
    this.selectionEnd = end;
  }
  /** The person types `s` over the selection (the browser changes the value itself). */
  type(s: string): void {
    const start = this.selectionStart ?? this.text.length;
    const end = this.selectionEnd ?? start;
    this.text = this.text.slice(0, start) + s + this.text.slice(end);
    this.selectionStart = this.selectionEnd = start + s.length;
  }
  backspace(): void {
    const at = this.selectionStart ?? 0;
    this.text = this.text.slice(0, at - 1) + this.text.slice(at);
    this.selectionStart = this.selectionEnd = at - 1;
  }
}

