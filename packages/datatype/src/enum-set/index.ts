// Public API of MySQL ENUM and SET values (TiKV codec/mysql/enums.rs and set.rs).

export { Enum, type EnumSetNameKey } from "./enum.js";
export { MAX_SET_MEMBERS, MySqlSet } from "./set.js";
