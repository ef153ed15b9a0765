// Filled in by the arithmetic-more family.
export {};
