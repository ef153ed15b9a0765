// 64-bit values: conversion helpers and exact round trips through the wire.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  coprocessor,
  decodeMessage,
  encodeMessage,
  i64,
  Long,
  ProtoError,
  tipb,
  toBigInt,
  u64,
} from "../src/index.js";

describe("u64 / i64 / toBigInt", () => {
  it("round-trip every value in range", () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (v) => toBigInt(u64(v)) === v));
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (v) => toBigInt(i64(v)) === v),
    );
  });

  it("accept safe numbers and decimal strings", () => {
    expect(toBigInt(u64(2 ** 53 - 1))).toBe(2n ** 53n - 1n);
    expect(toBigInt(i64("-9223372036854775808"))).toBe(-(2n ** 63n));
    expect(toBigInt(u64("18446744073709551615"))).toBe(2n ** 64n - 1n);
    expect(u64(5)).toBeInstanceOf(Long);
    expect(toBigInt(undefined)).toBe(0n);
    expect(toBigInt(42)).toBe(42n);
  });

  it("reject what does not fit, naming the value", () => {
    expect(() => u64(-1n)).toThrow(ProtoError);
    expect(() => u64(1n << 64n)).toThrow(/out of range/);
    expect(() => i64(1n << 63n)).toThrow(/out of range/);
    expect(() => i64(2 ** 53)).toThrow(/not a safe integer/);
    expect(() => u64(1.5)).toThrow(ProtoError);
    expect(() => u64("12a")).toThrow(/'12a'/);
  });

  it("decoded fields carry their signedness", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
        (ts, tz) => {
          const req = decodeMessage(
            coprocessor.Request,
            encodeMessage(coprocessor.Request, { startTs: u64(ts) }),
          );
          const dag = decodeMessage(
            tipb.DAGRequest,
            encodeMessage(tipb.DAGRequest, { timeZoneOffset: i64(tz) }),
          );
          return toBigInt(req.startTs) === ts && toBigInt(dag.timeZoneOffset) === tz;
        },
      ),
    );
  });
});
