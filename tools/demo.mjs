#!/usr/bin/env node
// The README's first command ends here: a short tour of @copr/datatype on real values.
import {
  Collation,
  collatorFor,
  Decimal,
  EvalContext,
  EvalFlag,
  evalTypeOfTp,
  FieldTypeTp,
  fieldTypeTpName,
  Time,
  TimeType,
  TimeZone,
} from "@copr/datatype";

const enc = new TextEncoder();
const section = (title) => console.log(`\n== ${title}`);

console.log("copr — @copr/datatype demo");

section("MySQL column types and how copr evaluates them");
for (const tp of [
  FieldTypeTp.LongLong,
  FieldTypeTp.NewDecimal,
  FieldTypeTp.Timestamp,
  FieldTypeTp.VarChar,
  FieldTypeTp.Set,
]) {
  console.log(`  ${fieldTypeTpName(tp).padEnd(12)} -> ${evalTypeOfTp(tp)}`);
}

section("DECIMAL: exact, 9-digit words, MySQL rounding");
const d = (s) => Decimal.fromString(s);
console.log(`  0.1 + 0.2                  = ${d("0.1").add(d("0.2")).value}   (as DOUBLE: ${0.1 + 0.2})`);
console.log(`  1 / 3 (div_precision 4)    = ${d("1").div(d("3"))?.value}`);
console.log(`  ROUND(-2.5)                = ${d("-2.5").round(0).value.toString()}`);
const big = d("99999999999999999999999999999999.123456789");
console.log(`  ${big} * 2 = ${big.mul(d("2")).value}`);
const bin = d("1234.5678").toBin(10, 4).value;
console.log(`  DECIMAL(10,4) 1234.5678 on disk: ${Buffer.from(bin).toString("hex")}`);

section("DATETIME and TIMESTAMP");
const ctx = new EvalContext({
  flags: EvalFlag.TruncateAsWarning,
  timeZone: TimeZone.fromName("America/New_York"),
});
for (const text of ["2024-03-10 02:30:00", "20121231235959.9999995", "12-1-2 3:4:5"]) {
  const t = Time.parse(ctx, text, TimeType.DateTime, 6, true);
  console.log(`  parse('${text}') = ${t}`);
}
const ts = Time.parse(ctx, "2024-07-01 12:00:00", TimeType.Timestamp, 0, true);
console.log(
  `  TIMESTAMP '${ts}' in New York is stored as packed u64 0x${ts.toPackedU64(ctx).toString(16)} (UTC)`,
);

section("Collations");
const pairs = [
  [Collation.Utf8Mb4Bin, "a", "A"],
  [Collation.Utf8Mb4GeneralCi, "Straße", "STRASSE"],
  [Collation.Utf8Mb4GeneralCi, "résumé", "RESUME  "],
  [Collation.Utf8Mb40900AiCi, "Straße", "STRASSE"],
  [Collation.GbkChineseCi, "中文", "汉字"],
];
for (const [c, a, b] of pairs) {
  const coll = collatorFor(c);
  const r = coll.compare(enc.encode(a), enc.encode(b));
  console.log(`  ${coll.name.padEnd(20)} '${a}' ${r < 0 ? "<" : r > 0 ? ">" : "="} '${b}'`);
}
console.log(`\nwarnings collected: ${ctx.warnings.count}`);
