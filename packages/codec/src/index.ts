// @copr/codec: TiDB/TiKV byte formats.
export { ByteReader, ByteWriter } from "./buf.js";
