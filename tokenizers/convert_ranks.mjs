// Turns an encoder of the npm tiktoken package (encoders/<name>.json) into tiktoken's rank-file
// format: "<base64 token> <rank>" per line, in rank order. The package packs its ranks as
// lines of "<tag> <first rank> <token> <token> …", each token one rank above the one before.
//
// usage: node convert_ranks.mjs <encoder.json> <out.tiktoken>
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename } from "node:path";

// SHA-256 of OpenAI's published rank files (tiktoken_ext/openai_public.py, expected_hash): the
// conversion must give back exactly those bytes.
const kPublishedSha256 = {
  cl100k_base: "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
  o200k_base: "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
};

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node convert_ranks.mjs <encoder.json> <out.tiktoken>");
  process.exit(2);
}
const encoder = JSON.parse(readFileSync(input, "utf8"));
if (typeof encoder.bpe_ranks !== "string") {
  console.error(`${input}: no "bpe_ranks" string; is this an encoder of the tiktoken package?`);
  process.exit(1);
}
const lines = [];
for (const packed of encoder.bpe_ranks.split("\n")) {
  if (packed === "") continue;
  const [, first, ...tokens] = packed.split(" ");
  const offset = Number.parseInt(first, 10);
  if (!Number.isSafeInteger(offset)) {
    console.error(`${input}: a bpe_ranks line starts with "${first}", not a rank`);
    process.exit(1);
  }
  tokens.forEach((token, i) => lines.push(`${token} ${offset + i}\n`));
}
const text = lines.join("");
const name = basename(output, ".tiktoken");
const sha256 = createHash("sha256").update(text).digest("hex");
if (kPublishedSha256[name] && kPublishedSha256[name] !== sha256) {
  console.error(`${input}: converts to SHA-256 ${sha256}, not the published ${name}'s ` +
                `${kPublishedSha256[name]}`);
  process.exit(1);
}
// Written beside the target and renamed, so an interrupted build leaves no half file.
writeFileSync(`${output}.part`, text);
renameSync(`${output}.part`, output);
