import { describe, expect, it } from 'vitest';
import { formatFull, formatUpdated } from './formatTime';

const now = new Date(2026, 10, 28, 15, 30).getTime();

describe('formatUpdated', () => {
  it('shows the time for today, "kemarin" for yesterday, the date before that', () => {
    expect(formatUpdated(new Date(2026, 10, 28, 9, 5).getTime(), 'id-ID', now)).toBe('09.05');
    expect(formatUpdated(new Date(2026, 10, 27, 9, 5).getTime(), 'id-ID', now)).toBe('kemarin 09.05');
    expect(formatUpdated(new Date(2026, 2, 3).getTime(), 'id-ID', now)).toBe('3 Mar');
    expect(formatUpdated(new Date(2025, 2, 3).getTime(), 'id-ID', now)).toBe('3 Mar 2025');
  });

  it('follows the UI language', () => {
    expect(formatUpdated(new Date(2026, 10, 27, 9, 5).getTime(), 'en-GB', now)).toBe('yesterday 09:05');
    expect(formatFull(new Date(2026, 10, 28, 9, 5).getTime(), 'id-ID')).toMatch(/^Sabtu, 28 November 2026/);
    expect(formatFull(new Date(2026, 10, 28, 9, 5).getTime(), 'en-GB')).toMatch(/^Saturday,? 28 November 2026/);
  });
});
