// Filled in by the control family.
export {};
