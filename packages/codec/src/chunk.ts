// The Chunk RPC format: what TiKV writes into tipb.SelectResponse chunks when a DAG request asks
// for encode_type TypeChunk, and what TiDB's `chunk.Codec` reads back.
// Follows TiKV components/tidb_query_datatype/src/codec/chunk/{chunk.rs,column.rs} and TiDB
// pkg/util/chunk/codec.go. Per column, back to back:
//
//   u32 LE rows | u32 LE nulls | bitmap ((rows + 7) / 8 bytes, only if nulls > 0; bit set = not NULL)
//   | fixed: rows × width bytes   or   var-length: (rows + 1) × i64 LE offsets, then the data bytes

export { decodeChunk } from "./chunk-decode.js";
export {
  chunkEncodedSize,
  encodeBatchChunk,
  encodeChunk,
  encodeChunkInto,
  writeChunk,
} from "./chunk-encode.js";
export { chunkFixedLen } from "./chunk-layout.js";
