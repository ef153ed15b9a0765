// Collations served by copr, after TiKV codec/collation (the `match_template_collator!` table maps
// each Collation to its collator).

import { UnsupportedError } from "../errors.js";
import { Collation, collationName } from "../field-type.js";
import { ByteOrderCollator } from "./bin.js";
import type { Collator } from "./collator.js";
import { Gb18030Collator } from "./gb18030.js";
import { GbkCollator } from "./gbk.js";
import { GeneralCiCollator } from "./general-ci.js";
import { UcaCollator } from "./uca.js";

export type { Collator, CollatorCharset, LikePatternMode } from "./collator.js";
export {
  decodedChar,
  decodedLength,
  decodeUtf8Lenient,
  nextUtf8Char,
  REPLACEMENT_CHARACTER,
  validateUtf8,
} from "./utf8.js";

const collators = new Map<Collation, Collator>();

function create(c: Collation): Collator {
  switch (c) {
    case Collation.Binary:
      return new ByteOrderCollator(c, "binary", false, "bytes");
    case Collation.Latin1Bin:
      return new ByteOrderCollator(c, "binary", true, "binaryRunes");
    case Collation.Utf8Mb4Bin:
      return new ByteOrderCollator(c, "utf8mb4", true, "binaryRunes");
    case Collation.Utf8Mb4BinNoPadding:
    case Collation.Utf8Mb40900Bin:
      return new ByteOrderCollator(c, "utf8mb4", false, "binaryRunes");
    case Collation.Utf8Mb4GeneralCi:
      return new GeneralCiCollator();
    case Collation.Utf8Mb4UnicodeCi:
      return new UcaCollator(c, "uca-0400.bin", 0x10000);
    case Collation.Utf8Mb40900AiCi:
      return new UcaCollator(c, "uca-0900.bin", 0x2cea1);
    case Collation.GbkBin:
    case Collation.GbkChineseCi:
      return new GbkCollator(c);
    case Collation.Gb18030Bin:
    case Collation.Gb18030ChineseCi:
      return new Gb18030Collator(c);
    default:
      throw new UnsupportedError(`Unsupported collation: ${collationName(c)}`);
  }
}

/**
 * The collator of collation `c` (one shared instance per collation). Cheap: weight tables are
 * read from `data/` on the collator's first comparison, not here. utf8mb4_0900_bin behaves
 * exactly like utf8mb4_bin without padding, as in TiKV. Throws {@link UnsupportedError} for a
 * value that is not a {@link Collation}.
 */
export function collatorFor(c: Collation): Collator {
  let collator = collators.get(c);
  if (collator === undefined) {
    collator = create(c);
    collators.set(c, collator);
  }
  return collator;
}
