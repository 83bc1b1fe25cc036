import { describe, expect, it } from 'vitest';
import { formatUpdated } from './formatTime';
import { snippetParts } from './snippet';

describe('snippetParts', () => {
  it('splits marked words from plain text', () => {
    expect(snippetParts('… penjualan [[mobil]] listrik [[naik]].')).toEqual([
      { text: '… penjualan ', mark: false },
      { text: 'mobil', mark: true },
      { text: ' listrik ', mark: false },
      { text: 'naik', mark: true },
      { text: '.', mark: false },
    ]);
  });
  it('leaves text without marks alone', () => {
    expect(snippetParts('tanpa tanda')).toEqual([{ text: 'tanpa tanda', mark: false }]);
  });
});

describe('formatUpdated', () => {
  const now = new Date(2026, 10, 28, 15, 0).getTime();
  it('shows the time for today', () => {
    expect(formatUpdated(new Date(2026, 10, 28, 9, 5).getTime(), 'en-GB', now)).toBe('09:05');
  });
  it('says yesterday in the UI language', () => {
    expect(formatUpdated(new Date(2026, 10, 27, 9, 5).getTime(), 'en-GB', now)).toBe('yesterday 09:05');
    expect(formatUpdated(new Date(2026, 10, 27, 9, 5).getTime(), 'id-ID', now)).toMatch(/^kemarin 09[.:]05$/);
  });
  it('shows the date otherwise, with the year only for other years', () => {
    expect(formatUpdated(new Date(2026, 2, 3).getTime(), 'en-GB', now)).toBe('3 Mar');
    expect(formatUpdated(new Date(2025, 2, 3).getTime(), 'en-GB', now)).toBe('3 Mar 2025');
  });
});
