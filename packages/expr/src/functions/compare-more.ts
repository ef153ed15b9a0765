// Filled in by the compare-more family.
export {};
