import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_WARNING_COUNT,
  ERR_DATA_OUT_OF_RANGE,
  ERR_DIVISION_BY_ZERO,
  EvalContext,
  EvalError,
  EvalFlag,
  isCoprError,
  SqlMode,
  WARN_DATA_TRUNCATED,
} from "../src/index.js";
import { catchError } from "../src/testing/index.js";

describe("EvalContext.handleTruncate", () => {
  // cases: TiKV expr/ctx.rs test_handle_truncate
  it("is an error by default", () => {
    const ctx = new EvalContext();
    ctx.handleTruncate(false);
    expect(catchError(() => ctx.handleTruncate(true))).toMatchObject({ code: WARN_DATA_TRUNCATED });
    expect(ctx.takeWarnings().list).toEqual([]);
  });

  it("is ignored under IgnoreTruncate", () => {
    const ctx = EvalContext.forTest();
    ctx.handleTruncate(true);
    expect(ctx.takeWarnings().count).toBe(0);
  });

  it("is a warning under TruncateAsWarning", () => {
    const ctx = new EvalContext({ flags: EvalFlag.TruncateAsWarning });
    ctx.handleTruncate(true);
    expect(ctx.takeWarnings().list).toEqual([{ code: WARN_DATA_TRUNCATED, message: "Data Truncated" }]);
  });
});

describe("EvalWarnings bound", () => {
  // cases: TiKV expr/ctx.rs test_max_warning_cnt
  it("keeps the first max warnings and counts them all", () => {
    const ctx = new EvalContext({ flags: EvalFlag.TruncateAsWarning });
    ctx.handleTruncate(true);
    ctx.handleTruncate(true);
    expect(ctx.takeWarnings().list).toHaveLength(2);
    for (let i = 0; i < 2 * DEFAULT_MAX_WARNING_COUNT; i++) ctx.handleTruncate(true);
    const w = ctx.takeWarnings();
    expect(w.count).toBe(2 * DEFAULT_MAX_WARNING_COUNT);
    expect(w.list).toHaveLength(DEFAULT_MAX_WARNING_COUNT);
  });

  it("merges bounded by max", () => {
    const a = new EvalContext({ flags: EvalFlag.TruncateAsWarning, maxWarningCount: 3 });
    const b = new EvalContext({ flags: EvalFlag.OverflowAsWarning, maxWarningCount: 3 });
    a.handleTruncate(true);
    for (let i = 0; i < 5; i++) b.handleOverflowErr(EvalError.overflow("BIGINT", `${i}`));
    a.warnings.merge(b.warnings);
    expect(a.warnings.count).toBe(6);
    expect(a.warnings.list.map((w) => w.code)).toEqual([WARN_DATA_TRUNCATED, 1690, 1690]);
    expect(a.warnings.list[2].message).toBe("BIGINT value is out of range in '1'");
  });
});

describe("EvalContext.handleOverflowErr", () => {
  it("throws unless OverflowAsWarning", () => {
    const err = EvalError.overflow("BIGINT", "(9223372036854775807 + 1)");
    expect(catchError(() => new EvalContext().handleOverflowErr(err))).toBe(err);
    const ctx = new EvalContext({ flags: EvalFlag.OverflowAsWarning });
    ctx.handleOverflowErr(err);
    expect(ctx.warnings.list).toEqual([
      { code: ERR_DATA_OUT_OF_RANGE, message: "BIGINT value is out of range in '(9223372036854775807 + 1)'" },
    ]);
  });
});

describe("EvalContext.handleDivisionByZero", () => {
  // The rule of TiKV expr/ctx.rs handle_division_by_zero, case by case.
  const strict = SqlMode.StrictAllTables;
  const errDiv = SqlMode.ErrorForDivisionByZero;
  it.each([
    // [flags, sqlMode, outcome]
    [EvalFlag.InSelectStmt, 0n, "warning"],
    [EvalFlag.InSelectStmt, strict | errDiv, "warning"],
    [EvalFlag.InInsertStmt, 0n, "nothing"],
    [EvalFlag.InInsertStmt, strict, "nothing"],
    [EvalFlag.InInsertStmt, errDiv, "warning"],
    [EvalFlag.InInsertStmt, strict | errDiv, "error"],
    [EvalFlag.InUpdateOrDeleteStmt, strict | errDiv, "error"],
    [EvalFlag.InInsertStmt | EvalFlag.DividedByZeroAsWarning, strict | errDiv, "warning"],
  ] as const)("flags %i mode %s -> %s", (flags, sqlMode, outcome) => {
    const ctx = new EvalContext({ flags, sqlMode });
    if (outcome === "error") {
      expect(catchError(() => ctx.handleDivisionByZero())).toMatchObject({ code: ERR_DIVISION_BY_ZERO });
    } else {
      ctx.handleDivisionByZero();
      expect(ctx.warnings.count).toBe(outcome === "warning" ? 1 : 0);
    }
  });
});

describe("EvalContext.handleInvalidTimeError", () => {
  it("is an error only in strict INSERT/UPDATE/DELETE", () => {
    const err = EvalError.incorrectDatetimeValue("2019-02-30");
    const strictInsert = new EvalContext({
      flags: EvalFlag.InInsertStmt,
      sqlMode: SqlMode.StrictTransTables,
    });
    expect(catchError(() => strictInsert.handleInvalidTimeError(err))).toBe(err);
    const select = new EvalContext({ flags: EvalFlag.InSelectStmt, sqlMode: SqlMode.StrictTransTables });
    select.handleInvalidTimeError(err);
    expect(select.warnings.list[0]).toEqual({
      code: 1292,
      message: "Incorrect datetime value: '2019-02-30'",
    });
  });
});

describe("EvalContext config", () => {
  it("rejects a div_precision_increment outside 0..30", () => {
    expect(() => new EvalContext({ divPrecisionIncrement: 31 })).toThrow(RangeError);
    expect(new EvalContext({ divPrecisionIncrement: 0 }).divPrecisionIncrement).toBe(0);
  });

  it("clips to zero in INSERT and LOAD DATA", () => {
    expect(new EvalContext({ flags: EvalFlag.InInsertStmt }).shouldClipToZero()).toBe(true);
    expect(new EvalContext({ flags: EvalFlag.InLoadDataStmt }).shouldClipToZero()).toBe(true);
    expect(new EvalContext({ flags: EvalFlag.InSelectStmt }).shouldClipToZero()).toBe(false);
  });

  it("errors are branded", () => {
    expect(isCoprError(EvalError.truncated())).toBe(true);
    expect(isCoprError(new Error("x"))).toBe(false);
    expect(EvalError.truncated()).toBeInstanceOf(Error);
  });
});
