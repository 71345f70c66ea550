// Reads a WARC file with warcio (an independent reader from the npm registry) and prints one
// JSON line per record: its headers, the SHA-256 of its payload as warcio reads it, and whether
// the WARC-Payload-Digest and WARC-Block-Digest it declares match the bytes.
//   node read_warc.mjs FILE.warc.gz
import { WARCParser } from "warcio";
import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// RFC 4648 base32, as WARC digests are written.
function base32(bytes) {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) {
    out += ALPHABET[(value << (5 - bits)) & 31];
  }
  return out;
}

const sha1 = (bytes) => "sha1:" + base32(createHash("sha1").update(bytes).digest());
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

async function readRecords(file, parseHttp) {
  const records = [];
  const parser = new WARCParser(createReadStream(file), { parseHttp });
  for await (const record of parser) {
    const bytes = await record.readFully(false);
    records.push({ record, bytes });
  }
  return records;
}

const file = process.argv[2];
// Twice: once parsing HTTP (the payload), once not (the whole block, for its digest).
const withHttp = await readRecords(file, true);
const blocks = await readRecords(file, false);
if (withHttp.length !== blocks.length) {
  throw new Error(`record counts differ: ${withHttp.length} and ${blocks.length}`);
}
withHttp.forEach(({ record, bytes }, i) => {
  const block = blocks[i].bytes;
  const declaredPayload = record.warcPayloadDigest ?? null;
  const hasHttp = record.httpHeaders != null;
  console.log(
    JSON.stringify({
      type: record.warcType,
      id: record.warcHeader("WARC-Record-ID"),
      uri: record.warcTargetURI ?? null,
      date: record.warcDate,
      version: record.warcHeaders.protocol,
      content_type: record.warcContentType ?? null,
      http_status: hasHttp ? record.httpHeaders.statusCode ?? null : null,
      profile: record.warcHeader("WARC-Profile") ?? null,
      refers_to: record.warcHeader("WARC-Refers-To") ?? null,
      concurrent_to: record.warcHeader("WARC-Concurrent-To") ?? null,
      payload_length: bytes.length,
      payload_sha256: sha256(bytes),
      payload_digest_ok: declaredPayload === null ? null : declaredPayload === sha1(bytes),
      block_digest_ok: record.warcBlockDigest === sha1(block),
      payload_text: record.warcType === "metadata" ? new TextDecoder().decode(bytes) : null,
    }),
  );
});
