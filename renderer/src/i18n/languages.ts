import type { UiLanguage } from '../../../shared/rpc/contract';

/**
 * The UI languages, as values. Kept here rather than imported from shared/rpc/contract so
 * the first bundle does not carry zod (contract.ts builds schemas at import time).
 */
export const LANGUAGES = ['id', 'en'] as const satisfies readonly UiLanguage[];

// Compile-time check: every language the contract knows is offered here.
type Missing = Exclude<UiLanguage, (typeof LANGUAGES)[number]>;
const _allLanguagesOffered: Missing extends never ? true : never = true;
void _allLanguagesOffered;

export function isUiLanguage(value: string): value is UiLanguage {
  return (LANGUAGES as readonly string[]).includes(value);
}
