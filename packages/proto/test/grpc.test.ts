// The tikvpb.Tikv service over a real grpc-js connection on localhost: unary, server-streaming and
// bidirectional methods, UNIMPLEMENTED for methods a server leaves out, and malformed requests.
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { addTikvService, createTikvClient, TIKV_METHODS, type TikvClient, TikvService } from "../src/grpc.js";
import { coprocessor, i64, type kvrpcpb, toBigInt, u64 } from "../src/index.js";

let server: grpc.Server;
let client: TikvClient;
let address: string;

beforeAll(async () => {
  server = new grpc.Server();
  addTikvService(server, {
    Coprocessor(call, callback) {
      const req = call.request;
      // Echo the request back in a way that shows every field arrived.
      callback(null, {
        data: req.data,
        otherError: `tp=${toBigInt(req.tp)} ts=${toBigInt(req.startTs)} ranges=${req.ranges.length}`,
      });
    },
    CoprocessorStream(call) {
      for (let i = 0; i < 3; i++) call.write({ data: new Uint8Array([i]) });
      call.end();
    },
    BatchCommands(call) {
      call.on("data", (req) => {
        call.write({
          requestIds: req.requestIds,
          responses: req.requests.map(() => ({ Coprocessor: { otherError: "batched" } })),
        });
      });
      call.on("end", () => call.end());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  address = `127.0.0.1:${port}`;
  client = createTikvClient(address);
});

afterAll(() => {
  client?.close();
  server?.forceShutdown();
});

const unary = <T>(f: (cb: grpc.requestCallback<T>) => void) =>
  new Promise<T>((resolve, reject) => f((err, res) => (err ? reject(err) : resolve(res!))));

describe("tikvpb.Tikv over grpc-js", () => {
  it("declares every method under /tikvpb.Tikv/<Name>", () => {
    expect(Object.keys(TikvService)).toEqual(Object.keys(TIKV_METHODS));
    expect(Object.keys(TikvService)).toHaveLength(47);
    expect(TikvService.Coprocessor!.path).toBe("/tikvpb.Tikv/Coprocessor");
    expect(TikvService.CoprocessorStream!.responseStream).toBe(true);
    expect(TikvService.BatchCommands!.requestStream).toBe(true);
    expect(TikvService.KVPessimisticRollback!.path).toBe("/tikvpb.Tikv/KVPessimisticRollback");
  });

  it("Coprocessor: a unary call carries the request and response", async () => {
    const res = await unary<coprocessor.Response>((cb) =>
      client.Coprocessor(
        { tp: i64(103), startTs: u64(2n ** 63n + 1n), data: new Uint8Array([1, 2]), ranges: [{}, {}] },
        cb,
      ),
    );
    expect(res).toBeInstanceOf(coprocessor.Response);
    expect([...res.data]).toEqual([1, 2]);
    expect(res.otherError).toBe(`tp=103 ts=${2n ** 63n + 1n} ranges=2`);
  });

  it("CoprocessorStream: a server stream", async () => {
    const got: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const stream = client.CoprocessorStream({ tp: i64(103) });
      stream.on("data", (r: coprocessor.Response) => got.push(r.data[0]!));
      stream.on("end", resolve);
      stream.on("error", reject);
    });
    expect(got).toEqual([0, 1, 2]);
  });

  it("BatchCommands: a bidirectional stream", async () => {
    const call = client.BatchCommands();
    const reply = new Promise<unknown>((resolve, reject) => {
      call.on("data", resolve);
      call.on("error", reject);
    });
    call.write({ requestIds: [u64(7), u64(8)], requests: [{ Coprocessor: {} }, { Coprocessor: {} }] });
    const res = (await reply) as {
      requestIds: unknown[];
      responses: { Coprocessor?: { otherError: string } }[];
    };
    call.end();
    expect(res.requestIds.map((v) => toBigInt(v as never))).toEqual([7n, 8n]);
    expect(res.responses.map((r) => r.Coprocessor?.otherError)).toEqual(["batched", "batched"]);
  });

  it("a method the server does not implement answers UNIMPLEMENTED", async () => {
    const err = await unary<kvrpcpb.GetResponse>((cb) =>
      client.KvGet({ key: new Uint8Array([1]) }, cb),
    ).catch((e: grpc.ServiceError) => e);
    expect((err as grpc.ServiceError).code).toBe(grpc.status.UNIMPLEMENTED);
  });

  it("malformed request bytes are refused with INTERNAL, and the server carries on", async () => {
    const raw = new grpc.Client(address, grpc.credentials.createInsecure());
    try {
      const err = await new Promise<grpc.ServiceError>((resolve) =>
        raw.makeUnaryRequest(
          "/tikvpb.Tikv/Coprocessor",
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.from([0x0a, 0x05, 0x01]), // field 1 claims 5 bytes, 1 follows
          (e) => resolve(e!),
        ),
      );
      // grpc-js reports a throwing deserializer without its message.
      expect(err.code).toBe(grpc.status.INTERNAL);
      expect(err.details).toBe("Error deserializing request");
    } finally {
      raw.close();
    }
  });

  it("a handler may be registered under grpc-js's lower-camel name", async () => {
    const s = new grpc.Server();
    s.addService(TikvService, {
      rawGet: (_call: unknown, cb: grpc.sendUnaryData<kvrpcpb.RawGetResponse.$Properties>) =>
        cb(null, { value: new Uint8Array([9]) }),
    });
    const port = await new Promise<number>((resolve, reject) =>
      s.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    const c = createTikvClient(`127.0.0.1:${port}`);
    try {
      const res = await unary<kvrpcpb.RawGetResponse>((cb) => c.RawGet({ key: new Uint8Array([1]) }, cb));
      expect([...res.value]).toEqual([9]);
    } finally {
      c.close();
      s.forceShutdown();
    }
  });

  it("has typed handlers and client methods", () => {
    expectTypeOf(client.Coprocessor).parameter(0).toEqualTypeOf<coprocessor.Request.$Properties>();
    expectTypeOf<Parameters<Parameters<typeof client.KvGet>[3]>[1]>().toEqualTypeOf<
      (kvrpcpb.GetResponse & kvrpcpb.GetResponse.$Shape) | undefined
    >();
  });
});
