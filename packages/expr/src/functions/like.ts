// Filled in by the like family.
export {};
