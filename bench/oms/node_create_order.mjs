// Baseline for bench/oms: the official @polymarket/clob-client-v2 building and signing the same V2 order
// (OrderBuilder.buildOrder = what ClobClient.createOrder runs once tick size / neg-risk / version are known),
// serialising it (JSON.stringify(orderToJsonV2)) and computing the L2 HMAC (createL2Headers), timed per call.
// Uses the packages installed by scripts/official-vectors (npm ci there first). Prints one line per measurement.
import { pathToFileURL } from "node:url";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const mods = join(root, "scripts", "official-vectors", "node_modules");
const clob = await import(pathToFileURL(join(mods, "@polymarket/clob-client-v2/dist/index.js")).href);
const { Wallet } = await import(pathToFileURL(join(mods, "@ethersproject/wallet/lib/index.js")).href);

const wallet = new Wallet("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const builder = new clob.OrderBuilder(wallet, 137, 0);
const user = { tokenID: "1234", price: 0.55, size: 10, side: clob.Side.BUY };
const creds = { key: "00000000-0000-0000-0000-000000000000", secret: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", passphrase: "p" };

async function measure(name, n, fn) {
  for (let i = 0; i < Math.min(200, n); i++) await fn();  // warm-up (JIT)
  const t = new Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    t[i] = Number(process.hrtime.bigint() - t0);
  }
  t.sort((a, b) => a - b);
  const mean = t.reduce((a, b) => a + b, 0) / n;
  console.log(`${name}: n=${n} mean_ns=${Math.round(mean)} p50_ns=${t[Math.floor(n / 2)]} p99_ns=${t[Math.floor(n * 0.99)]} max_ns=${t[n - 1]}`);
}

const n = Number(process.argv[2] ?? 2000);
let body;
await measure("node_official_createOrder(buildOrder)", n, async () => {
  await builder.buildOrder(user, { tickSize: "0.01", negRisk: false }, 2);
});
await measure("node_official_createOrder+body+l2hmac", n, async () => {
  const order = await builder.buildOrder(user, { tickSize: "0.01", negRisk: false }, 2);
  body = JSON.stringify(clob.orderToJsonV2(order, creds.key, "GTC"));
  await clob.createL2Headers(wallet, creds, { method: "POST", requestPath: "/order", body }, 1790000000);
});
await measure("node_official_l2hmac", n, async () => {
  await clob.createL2Headers(wallet, creds, { method: "POST", requestPath: "/order", body }, 1790000000);
});
console.log(`node ${process.version}, @polymarket/clob-client-v2 ${(await import(pathToFileURL(join(mods, "@polymarket/clob-client-v2/package.json")).href, { with: { type: "json" } })).default.version}`);
