// Filled in by the bit family.
export {};
