// Helpers for tests of @copr/datatype and of the packages built on it.

import { isCoprError } from "../errors.js";

/** Runs `fn` and returns what it threw; fails if it returned or threw a non-copr error. */
export function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    if (isCoprError(e)) return e;
    throw new Error(`expected a CoprError, got ${String(e)}`, { cause: e });
  }
  throw new Error("expected an error, but the call returned normally");
}
