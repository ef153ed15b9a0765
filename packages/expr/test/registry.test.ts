// The package entry point registers every family (a family file missing from functions/index.ts
// would leave its sigs unregistered while its own tests, which import it directly, still pass).
import { tipb } from "@copr/proto";
import { describe, expect, it } from "vitest";
import { lookupRpnFn, registeredSigs } from "../src/index.js";

const S = tipb.ScalarFuncSig;

describe("registry", () => {
  it("has one sig of every family registered through the entry point", () => {
    const samples = [
      S.PlusInt, // arithmetic
      S.DivideDecimal, // arithmetic-more
      S.BitAndSig, // bit
      S.CastStringAsInt, // cast
      S.CastDurationAsTime, // cast-time
      S.LTInt, // compare
      S.EQString, // compare-more
      S.CaseWhenInt, // control
      S.InInt, // in
      S.LikeSig, // like
      S.LogicalAnd, // logical
    ];
    for (const sig of samples) expect(lookupRpnFn(sig), tipb.ScalarFuncSig[sig]).toBeDefined();
  });

  it("registers only sigs the schema lists, each once", () => {
    const sigs = registeredSigs();
    expect(new Set(sigs).size).toBe(sigs.length);
    for (const sig of sigs) expect(typeof tipb.ScalarFuncSig[sig]).toBe("string");
    // The first wave registers 218 signatures; the count only grows.
    expect(sigs.length).toBeGreaterThanOrEqual(218);
  });
});
