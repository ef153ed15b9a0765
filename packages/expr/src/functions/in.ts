// Filled in by the in family.
export {};
