#!/usr/bin/env node
// The README's first command ends here: a short tour of @copr/datatype on real values.
import {
  collationFromId,
  collationName,
  EvalType,
  evalTypeOfTp,
  FieldTypeTp,
  fieldTypeTpName,
} from "@copr/datatype";

console.log("copr datatype demo\n");
console.log("MySQL column types and how copr evaluates them:");
for (const tp of [
  FieldTypeTp.LongLong,
  FieldTypeTp.NewDecimal,
  FieldTypeTp.Timestamp,
  FieldTypeTp.VarChar,
  FieldTypeTp.Set,
]) {
  console.log(`  ${fieldTypeTpName(tp).padEnd(12)} -> ${evalTypeOfTp(tp)}`);
}
console.log("\nCollation ids as TiDB sends them:");
for (const id of [-45, -46, 63, -255, -28]) {
  console.log(`  ${String(id).padStart(5)} -> ${collationName(collationFromId(id))}`);
}
void EvalType;
