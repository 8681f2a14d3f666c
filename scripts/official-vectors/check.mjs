// Runs `polybot` for every vector of a JSONL file (from generate.mjs) and requires byte-equal stdout.
// Usage: node check.mjs --polybot PATH/TO/polybot --vectors FILE
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
const polybot = arg("--polybot");
const vectors = readFileSync(arg("--vectors"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const dir = mkdtempSync(join(tmpdir(), "polybot-vectors-"));
const keyFile = join(dir, "key");
writeFileSync(keyFile, "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80\n", { mode: 0o600 });
const bodyFile = join(dir, "body");
let failed = 0;
for (const v of vectors) {
  const args = v.args.map((a) => (a === "@BODY_FILE@" ? bodyFile : a));
  if (v.kind === "order" || v.kind === "l1") args.push("--key-file", keyFile);
  if (v.body !== undefined) writeFileSync(bodyFile, v.body);
  let out;
  try {
    out = execFileSync(polybot, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    out = `exit ${e.status}: ${e.stderr}`;
  }
  if (out !== v.stdout) {
    failed++;
    console.log(`MISMATCH ${v.name}\n  args: ${args.join(" ")}\n  want: ${v.stdout}  got:  ${out}`);
  }
}
rmSync(dir, { recursive: true, force: true });
console.log(`${vectors.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
