// Public API of the JSON value model (TiKV codec/mysql/json: mod.rs, serde.rs, comparison.rs,
// json_type.rs, json_depth.rs, json_length.rs). The binary JSON codec lives in @copr/codec.

export { compareJson, jsonEquals } from "./compare.js";
export {
  compareUtf8,
  Json,
  type JsonArray,
  type JsonDouble,
  type JsonDuration,
  type JsonI64,
  type JsonKind,
  type JsonLiteral,
  type JsonObject,
  type JsonOpaque,
  type JsonString,
  type JsonTime,
  JsonType,
  type JsonU64,
  type JsonValue,
  jsonDepth,
  jsonLength,
  jsonTypeCode,
  jsonTypeName,
} from "./json-value.js";
export { parseJson } from "./parse.js";
export { formatJsonDouble, jsonToString } from "./serialize.js";
