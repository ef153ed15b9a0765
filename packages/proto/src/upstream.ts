/** The upstream commits whose field numbers and enum values the .proto files of this package carry. */
export const UPSTREAM = {
  kvproto: { repository: "pingcap/kvproto", commit: "b6cdca197b3c9df5b07206a45567381c50ba4318" },
  tipb: { repository: "pingcap/tipb", commit: "41c2825553d1e1b238653282ad53e364ecde97d7" },
} as const;
