/**
 * Event words: now part of the one codec module (`./codec.ts`); this path stays for existing imports.
 */
export * from "./codec.ts";
