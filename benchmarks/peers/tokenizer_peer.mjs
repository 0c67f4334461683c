// The reference tokenizer's throughput on the texts of build/bin/tokenizer_bench: OpenAI's
// tiktoken (Rust compiled to WASM) from the npm package the rank files came from.
//
// usage: node tokenizer_peer.mjs <tiktoken package dir> <source dir>
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const [packageDir, root] = process.argv.slice(2);
const { get_encoding } = createRequire(import.meta.url)(packageDir);
const size = 1 << 20;
const repeat = (unit) => {
  let out = unit;
  while (Buffer.byteLength(out) < size) out += unit;
  return out;
};
const read = (file) => readFileSync(`${root}/${file}`, "utf8");
const texts = {
  english: repeat(read("README.md")),
  code: repeat(read("core/src/call.cpp") + read("core/src/chat_model.cpp") +
               read("sdk/include/llmrt/sdk/sse.h")),
  chinese: repeat("人工智能正在改变世界，大语言模型尤其如此。我们今天去公园散步，天气非常好。" +
                  "北京时间二〇二四年一月一日，新年快乐！这是一个测试：包含标点符号、数字123和English混合。"),
};
for (const encoding of ["cl100k_base", "o200k_base"]) {
  const enc = get_encoding(encoding);
  for (const [kind, text] of Object.entries(texts)) {
    const bytes = Buffer.byteLength(text);
    enc.encode_ordinary(text);  // warm-up
    const start = process.hrtime.bigint();
    let runs = 0;
    while (process.hrtime.bigint() - start < 2_000_000_000n) {
      enc.encode_ordinary(text);
      ++runs;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(`${encoding} ${kind}: ${(bytes * runs / seconds / 1048576).toFixed(1)} MiB/s`);
  }
  // One piece of n letters: tiktoken's merge rescans the piece after every merge.
  for (const n of [1024, 4096, 32768]) {
    let letters = "";
    for (let i = 0; i < n; ++i) letters += String.fromCharCode(97 + ((i * 7919) % 26));
    const start = process.hrtime.bigint();
    enc.encode_ordinary(letters);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(`${encoding} one piece of ${n} letters: ${ms.toFixed(1)} ms`);
  }
  enc.free();
}
