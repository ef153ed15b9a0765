// Filled in by the cast family.
export {};
