// tipb.FieldType → the datatype package's FieldType.
import type { FieldType } from "@copr/datatype";
import type { tipb } from "@copr/proto";

/**
 * The FieldType of a `tipb.FieldType` (tp, flag, flen, decimal, collate, charset, elems). Absent
 * fields take TiDB's defaults: flen and decimal unspecified (-1), binary collation (63).
 */
export function fieldTypeFromPb(ft: tipb.FieldType.$Properties): FieldType {
  const out: FieldType = {
    tp: ft.tp ?? 0,
    flag: ft.flag ?? 0,
    flen: ft.flen ?? -1,
    decimal: ft.decimal ?? -1,
    collate: ft.collate ?? 63,
    charset: ft.charset ?? "binary",
  };
  if (ft.elems && ft.elems.length > 0) out.elems = ft.elems;
  return out;
}

/** The `tipb.FieldType` properties of a FieldType (for building requests and tests). */
export function fieldTypeToPb(ft: FieldType): tipb.FieldType.$Properties {
  return {
    tp: ft.tp,
    flag: ft.flag ?? 0,
    flen: ft.flen ?? -1,
    decimal: ft.decimal ?? -1,
    collate: ft.collate ?? 63,
    charset: ft.charset ?? "binary",
    elems: [...(ft.elems ?? [])],
  };
}
