// Generates conformance vectors with the OFFICIAL @polymarket/clob-client-v2 (npm), for polybot's
// tests/data/oms/official_vectors.jsonl. Every expected output is the client's own: orders go through its
// OrderBuilder (the layer ClobClient.createOrder/createMarketOrder call once tick size, neg-risk and version are
// known) and orderToJsonV2 + JSON.stringify (what postOrder sends); headers through createL1Headers /
// createL2Headers. The client draws salt = Math.round(Math.random() * Date.now()) and timestamp = Date.now(), so
// both are pinned by stubbing Date.now and Math.random around each call; the resulting salt is recorded and
// passed to polybot as --salt.
//
// Usage: node generate.mjs [--out FILE]   (default: stdout). Offline: no request leaves the machine.
// The key is Hardhat account #0, a public test key.
import { writeFileSync } from "node:fs";
import { Wallet } from "@ethersproject/wallet";
import {
  OrderBuilder, orderToJsonV2, createL1Headers, createL2Headers, Side, OrderType,
} from "@polymarket/clob-client-v2";

const KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const wallet = new Wallet(KEY);

// Deterministic PRNG (mulberry32) so the vector set is reproducible.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(20261122);
const pick = (arr) => arr[Math.floor(rand() * arr.length)];
const hex32 = () => "0x" + Array.from({ length: 32 }, () => Math.floor(rand() * 256).toString(16).padStart(2, "0")).join("");

const realDateNow = Date.now;
const realRandom = Math.random;
async function pinned(timestampMs, randomValue, fn) {
  Date.now = () => timestampMs;
  Math.random = () => randomValue;
  try {
    return await fn();
  } finally {
    Date.now = realDateNow;
    Math.random = realRandom;
  }
}

// ClobClient.createOrder/createMarketOrder check this before building (utilities.priceValid).
const priceValid = (price, tick) => price >= parseFloat(tick) && price <= 1 - parseFloat(tick);

const TICKS = { "0.1": 1, "0.01": 2, "0.005": 3, "0.0025": 4, "0.001": 3, "0.0001": 4 };
const TOKENS = [
  "1234",
  "71321045679252212594626385532706912750332728571942532289631379312455583992563",
  "52114319501245915516055106046884209969926127482827954674443846427813813222426",
];
const FUNDERS = ["0x1111111111111111111111111111111111111111", "0x5FbDB2315678afecb367f032d93F642f64180aa3"];
const OWNER = "00000000-0000-0000-0000-000000000000";

const lines = [];
function emit(v) { lines.push(JSON.stringify(v)); }

async function orderVector(name, c) {
  // c: {market, side, tick, price, size|amount, orderType, postOnly, deferExec, expiration, sigType, funder,
  //     negRisk, version, chainId, tokenID, metadata, builder, owner, ts, r}
  if (!priceValid(c.price, c.tick)) throw new Error(`${name}: invalid price`);
  const builder = new OrderBuilder(wallet, c.chainId, c.sigType, c.funder);
  const user = { tokenID: c.tokenID, price: c.price, side: c.side };
  if (c.metadata) user.metadata = c.metadata;
  if (c.builder) user.builderCode = c.builder;
  let order;
  if (c.market) {
    user.amount = c.amount;
    user.orderType = c.orderType;
    order = await pinned(c.ts, c.r, () => builder.buildMarketOrder(user, { tickSize: c.tick, negRisk: c.negRisk }, c.version));
  } else {
    user.size = c.size;
    if (c.expiration !== undefined) user.expiration = c.expiration;
    order = await pinned(c.ts, c.r, () => builder.buildOrder(user, { tickSize: c.tick, negRisk: c.negRisk }, c.version));
  }
  const body = JSON.stringify(orderToJsonV2(order, c.owner, c.orderType, c.postOnly, c.deferExec));
  const args = ["order", "build", "--token-id", c.tokenID, "--side", c.side, "--tick-size", c.tick,
    "--price", String(c.price), "--order-type", c.orderType, "--salt", order.salt, "--timestamp-ms", String(c.ts),
    "--owner", c.owner, "--chain-id", String(c.chainId), "--exchange-version", String(c.version),
    "--signature-type", String(c.sigType)];
  if (c.market) args.push("--market-order", "--amount", String(c.amount));
  else args.push("--size", String(c.size));
  if (c.negRisk) args.push("--neg-risk");
  if (c.postOnly) args.push("--post-only");
  if (c.deferExec) args.push("--defer-exec");
  if (c.expiration !== undefined) args.push("--expiration", String(c.expiration));
  if (c.funder) args.push("--funder", c.funder);
  if (c.metadata) args.push("--metadata", c.metadata);
  if (c.builder) args.push("--builder", c.builder);
  emit({ kind: "order", name, args, stdout: body + "\n" });
  return body;
}

const base = {
  market: false, side: Side.BUY, tick: "0.01", price: 0.55, size: 10, orderType: OrderType.GTC, postOnly: false,
  deferExec: false, sigType: 0, funder: undefined, negRisk: false, version: 2, chainId: 137, tokenID: "1234",
  owner: OWNER, ts: 1790000000000, r: 0.5,
};

// Hand-picked cases: the protocol-note amount table, both sides, every tick, flags, types.
const a4 = await orderVector("a4-buy", { ...base });
await orderVector("a4-sell", { ...base, side: Side.SELL });
await orderVector("neg-risk-buy", { ...base, negRisk: true });
await orderVector("v3-buy", { ...base, version: 3 });
await orderVector("amoy-buy", { ...base, chainId: 80002 });
await orderVector("amoy-v3-neg", { ...base, chainId: 80002, version: 3, negRisk: true });
const table = [
  [Side.BUY, 15, 0.24, "0.01"], [Side.BUY, 12.8205, 0.78, "0.01"], [Side.SELL, 2435.89, 0.39, "0.01"],
  [Side.BUY, 100, 0.005, "0.001"], [Side.BUY, 100, 0.0005, "0.0001"], [Side.BUY, 21.04, 0.5, "0.1"],
  [Side.BUY, 5, 0.962, "0.001"], [Side.SELL, 7.333, 0.123, "0.001"], [Side.BUY, 18233.33, 0.58, "0.01"],
  [Side.BUY, 10, 0.125, "0.005"], [Side.SELL, 33.33, 0.995, "0.005"], [Side.BUY, 7.77, 0.0025, "0.0025"],
  [Side.SELL, 99.99, 0.9975, "0.0025"], [Side.BUY, 5, 0.9, "0.1"], [Side.SELL, 5, 0.1, "0.1"],
];
for (const [i, [side, size, price, tick]] of table.entries()) {
  await orderVector(`table-${i}`, { ...base, side, size, price, tick, r: 0.123 + i / 100 });
}
for (const [i, ot] of [OrderType.GTC, OrderType.GTD, OrderType.FOK, OrderType.FAK].entries()) {
  for (const side of [Side.BUY, Side.SELL]) {
    const gtd = ot === OrderType.GTD ? { expiration: 1790003660 } : {};
    await orderVector(`type-${ot}-${side}`, { ...base, side, orderType: ot, ...gtd, r: 0.3 + i / 10 });
    if (ot === OrderType.GTC || ot === OrderType.GTD) {
      await orderVector(`type-${ot}-${side}-postonly`, { ...base, side, orderType: ot, postOnly: true, ...gtd });
    }
    await orderVector(`type-${ot}-${side}-defer`, { ...base, side, orderType: ot, deferExec: true, ...gtd });
  }
}
for (const sigType of [0, 1, 2, 3]) {
  for (const funder of FUNDERS) {
    await orderVector(`sigtype-${sigType}-${funder.slice(0, 6)}`, { ...base, sigType, funder, r: 0.77 });
    await orderVector(`sigtype-${sigType}-${funder.slice(0, 6)}-neg-sell`,
      { ...base, sigType, funder, negRisk: true, side: Side.SELL, r: 0.66 });
  }
}
await orderVector("metadata-builder", { ...base, metadata: hex32(), builder: hex32() });
await orderVector("big-token", { ...base, tokenID: TOKENS[1] });
const marketTable = [
  [Side.BUY, 2.03, 0.58, "0.01"], [Side.BUY, 100, 0.5, "0.01"], [Side.SELL, 10, 0.55, "0.01"],
  [Side.BUY, 9.98, 0.985, "0.001"], [Side.BUY, 5, 0.333, "0.001"], [Side.BUY, 1, 0.0001, "0.0001"],
  [Side.BUY, 3.33, 0.335, "0.005"], [Side.BUY, 7.5, 0.0075, "0.0025"], [Side.SELL, 12.345, 0.7, "0.1"],
  [Side.BUY, 1.01, 0.99, "0.01"], [Side.SELL, 5.5, 0.0001, "0.0001"],
];
for (const [i, [side, amount, price, tick]] of marketTable.entries()) {
  for (const ot of [OrderType.FOK, OrderType.FAK]) {
    await orderVector(`market-${i}-${ot}`, { ...base, market: true, side, amount, price, tick, orderType: ot, r: 0.41 + i / 50 });
  }
}

// Randomised cases over every tick: prices on the grid, sizes with up to 4 decimals (the client floors to 2).
for (let i = 0; i < 160; i++) {
  const tick = pick(Object.keys(TICKS));
  const t = parseFloat(tick);
  const steps = Math.round(1 / t);
  const k = 1 + Math.floor(rand() * (steps - 1));          // price in [tick, 1 - tick]
  const price = parseFloat((k * t).toFixed(TICKS[tick]));
  const side = pick([Side.BUY, Side.SELL]);
  const market = rand() < 0.35;
  const sigType = pick([0, 0, 1, 2, 3]);
  const funder = sigType === 0 ? (rand() < 0.2 ? pick(FUNDERS) : undefined) : pick(FUNDERS);
  const common = {
    ...base, side, tick, price, sigType, funder, negRisk: rand() < 0.3, version: rand() < 0.15 ? 3 : 2,
    tokenID: pick(TOKENS), ts: 1790000000000 + Math.floor(rand() * 1e9), r: rand(),
  };
  if (market) {
    // BUY: >= $1 to spend; SELL: shares. Two to four decimals (the client floors to 2).
    const amount = parseFloat((1 + rand() * (rand() < 0.5 ? 50 : 5000)).toFixed(pick([2, 3, 4])));
    await orderVector(`random-${i}-market`, { ...common, market: true, amount, orderType: pick([OrderType.FOK, OrderType.FAK]) });
  } else {
    const size = parseFloat((5 + rand() * (rand() < 0.5 ? 100 : 20000)).toFixed(pick([0, 1, 2, 3, 4])));
    let orderType = pick([OrderType.GTC, OrderType.GTC, OrderType.GTD, OrderType.FOK, OrderType.FAK]);
    // polybot refuses marketable BUYs under $1 before signing; keep those out of the conformance set.
    if (side === Side.BUY && (orderType === OrderType.FOK || orderType === OrderType.FAK) &&
        Math.floor(size * 100) / 100 * price < 1) orderType = OrderType.GTC;
    const gtd = orderType === OrderType.GTD ? { expiration: Math.floor(common.ts / 1000) + 60 + Math.floor(rand() * 86400) } : {};
    const postOnly = (orderType === OrderType.GTC || orderType === OrderType.GTD) && rand() < 0.3;
    await orderVector(`random-${i}-limit`, { ...common, size, orderType, postOnly, deferExec: rand() < 0.2, ...gtd });
  }
}

// L1 headers.
for (const [ts, nonce, chainId] of [[1700000000, 0, 137], [10000000, 23, 80002], [1790000000, 1, 137],
  [1790000123, 4294967296, 137], [1, 0, 80002]]) {
  const h = await createL1Headers(wallet, chainId, nonce, ts);
  emit({ kind: "l1", name: `l1-${ts}-${nonce}-${chainId}`,
    args: ["auth", "l1", "--timestamp", String(ts), "--nonce", String(nonce), "--chain-id", String(chainId)],
    stdout: JSON.stringify(h) + "\n" });
}

// L2 headers: GET/POST/DELETE, with and without bodies, several secrets (padded, unpadded, '-' and '_').
const secrets = [
  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
  Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 251) & 0xff)).toString("base64url") + "=",
  Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 91 + 7) & 0xff)).toString("base64url"),
  Buffer.from(Array.from({ length: 48 }, (_, i) => (255 - i * 3) & 0xff)).toString("base64url"),
];
const requests = [
  ["GET", "/data/orders", undefined], ["GET", "/data/trades", undefined], ["DELETE", "/cancel-all", undefined],
  ["DELETE", "/order", JSON.stringify({ orderID: "0xabc" })],
  ["DELETE", "/orders", JSON.stringify(["0x1", "0x2"])],
  ["POST", "/v1/heartbeats", JSON.stringify({ heartbeat_id: "" })],
  ["POST", "/order", a4],
  ["GET", "/auth/api-keys", undefined],
  ["DELETE", "/cancel-market-orders", JSON.stringify({ market: "0x5f65", asset_id: "1234" })],
  ["GET", "/balance-allowance", ""],
];
for (const [si, secret] of secrets.entries()) {
  for (const [ri, [method, path, body]] of requests.entries()) {
    const ts = 1790000000 + si * 1000 + ri;
    const creds = { key: `${si}0000000-0000-0000-0000-00000000000${ri}`, secret, passphrase: `pass-${si}-${ri}` };
    const h = await createL2Headers(wallet, creds, { method, requestPath: path, body }, ts);
    const args = ["auth", "l2", "--api-key", creds.key, "--secret", secret, "--passphrase", creds.passphrase,
      "--address", wallet.address, "--timestamp", String(ts), "--method", method, "--path", path];
    const v = { kind: "l2", name: `l2-${si}-${ri}-${method}`, args, stdout: JSON.stringify(h) + "\n" };
    if (body !== undefined) {
      args.push("--body-file", "@BODY_FILE@");
      v.body = body;
    }
    emit(v);
  }
}

const outIdx = process.argv.indexOf("--out");
const text = lines.join("\n") + "\n";
if (outIdx > 0) writeFileSync(process.argv[outIdx + 1], text);
else process.stdout.write(text);
