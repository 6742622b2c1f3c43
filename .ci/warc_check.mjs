// .ci/run: reads a WARC with warcio.js (webrecorder) and checks every record's
// WARC-Block-Digest and WARC-Payload-Digest against the bytes it read.
import fs from "node:fs";
import crypto from "node:crypto";
import { WARCParser } from "warcio";

const file = process.argv[2];
const parser = new WARCParser(fs.createReadStream(file));
let n = 0, bad = 0;
const hex = (b) => crypto.createHash("sha256").update(b).digest("hex");
for await (const record of parser) {
  n++;
  const type = record.warcType;
  const payload = await record.readFully(false);
  const want = record.warcHeaders.headers.get("WARC-Payload-Digest");
  let line = `${type} ${record.warcTargetURI || ""}`;
  if (want) {
    const got = "sha256:" + hex(payload);
    line += ` payload ${got === want ? "ok" : "MISMATCH " + got + " != " + want}`;
    if (got !== want) bad++;
  }
  console.log(line);
}
console.log(`${n} records, ${bad} digest mismatches`);
if (n === 0 || bad > 0) process.exit(1);
